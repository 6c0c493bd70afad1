package im.parley.push;

import im.parley.eventing.Actor;
import im.parley.eventing.EventTypes;
import im.parley.eventing.delivery.DeliveryBatch;
import im.parley.eventing.delivery.Frames;
import im.parley.eventing.frame.ErrorFrame;
import im.parley.eventing.message.Message;
import im.parley.eventing.push.PushProvider;
import im.parley.eventing.push.PushReported;
import im.parley.eventing.push.PushReported.Outcome;
import im.parley.eventing.push.PushReported.Reason;
import im.parley.eventing.push.PushReported.Result;
import im.parley.eventing.push.PushRequested;
import im.parley.eventing.push.PushSettingsUpdated.QuietHours;
import im.parley.functions.handlers.Handlers;
import im.parley.functions.handlers.Reply;
import im.parley.messages.Messages;
import im.parley.push.DeviceTokens.Device;
import im.parley.push.PushLedger.Claim;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * {@code im.parley.push.token.registered}, {@code push.settings.updated} and {@code push.requested} in; a
 * {@code push.reported} for each message that was handled. Per offline user and conversation:
 * <ul>
 *   <li>a redelivered message is recognised and sends nothing;</li>
 *   <li>the first message of an offline spell notifies every device at once; later ones, even those handled at the
 *       same time, collapse into it (the next notification, after the collapse window, carries the count and
 *       replaces it on the device);</li>
 *   <li>quiet hours and a per-user rate limit hold notifications back; what they hold is counted in the next one;</li>
 *   <li>a message recalled before its request is handled notifies no one;</li>
 *   <li>sends are retried with backoff within the event's deadline; a token the provider calls dead is dropped.</li>
 * </ul>
 * A notification is claimed before it is sent, so a crash mid-send loses it rather than sending it twice.
 */
public final class PushFunction {

    /** How notifications are held back and spread. */
    public record Policy(Duration collapseWindow, int perUserPerMinute, Duration deadline) {
    }

    private final DeviceTokens tokens;
    private final Messages messages;
    private final PushLedger ledger;
    private final Map<PushProvider, Gateway> gateways;
    private final Retrying retrying;
    private final Policy policy;
    private final Consumer<DeliveryBatch> deliveries;
    private final Clock clock;

    public PushFunction(DeviceTokens tokens, Messages messages, PushLedger ledger, Map<PushProvider, Gateway> gateways, Retrying retrying,
                        Policy policy, Consumer<DeliveryBatch> deliveries, Clock clock) {
        this.tokens = tokens;
        this.messages = messages;
        this.ledger = ledger;
        this.gateways = gateways;
        this.retrying = retrying;
        this.policy = policy;
        this.deliveries = deliveries;
        this.clock = clock;
    }

    /** What hosting serves: a notification to send, a device's token, a user's quiet hours. */
    public Handlers handlers() {
        return Handlers.of("push")
                .on(EventTypes.PUSH_REQUESTED, (request, context) -> {
                    PushReported report = notify(request);
                    return report.outcomes().isEmpty() ? Reply.none() : Reply.of(EventTypes.PUSH_REPORTED, report);
                })
                .on(EventTypes.PUSH_TOKEN_REGISTERED, (token, context) -> {
                    Actor actor = context.requireActor();
                    tokens.register(new Device(actor.userId(), actor.deviceId(), token.platform(), token.token(), token.appId()));
                    return Reply.none();
                })
                .on(EventTypes.PUSH_SETTINGS_UPDATED, (settings, context) -> {
                    Actor actor = context.requireActor();
                    QuietHours hours = settings.quietHours();
                    String problem = hours == null ? null : QuietHoursRule.problem(hours);
                    if (problem != null) {
                        deliveries.accept(DeliveryBatch.toActor(actor,
                                Frames.of(ErrorFrame.of("invalid", "quiet hours: " + problem))));
                    } else {
                        tokens.quietHours(actor.userId(), hours);
                    }
                    return Reply.none();
                })
                .build();
    }

    private PushReported notify(PushRequested request) {
        List<String> users = request.userIds().stream().filter(u -> !u.equals(request.sender())).distinct().toList();
        // A request handled late (a cold start, a retry) may be for a message recalled since: it shows nothing.
        if (messages.find(request.conversationId(), request.serverSeq()).filter(Message::isRecalled).isPresent()) {
            return new PushReported(request.conversationId(), request.serverSeq(),
                    users.stream().map(user -> held(user, Result.SUPPRESSED, Reason.RECALLED, 0)).toList());
        }
        Map<String, String> spells = ledger.spells(users);
        Map<String, List<Device>> devices = tokens.devices(users);
        Map<String, QuietHours> quiet = tokens.quietHours(users);
        Instant now = clock.instant();
        Instant deadline = now.plus(policy.deadline());
        List<Outcome> outcomes = new ArrayList<>();
        List<CompletableFuture<List<Outcome>>> sending = new ArrayList<>();
        Map<String, Claim> claims = ledger.claim(users, request.conversationId(), request.serverSeq(), spells,
                now.toEpochMilli(), policy.collapseWindow().toMillis());
        for (String user : users) {
            Claim claim = claims.get(user);
            if (claim.kind() == Claim.Kind.DUPLICATE) {
                continue;
            }
            Reason held = null;
            if (claim.kind() == Claim.Kind.COLLAPSED) {
                outcomes.add(held(user, Result.COLLAPSED, null, claim.count()));
                continue;
            } else if (!devices.containsKey(user)) {
                held = Reason.NO_DEVICE;
            } else if (quiet.containsKey(user) && QuietHoursRule.quiet(quiet.get(user), now)) {
                held = Reason.QUIET_HOURS;
            } else if (!ledger.allow(user, policy.perUserPerMinute(), now.toEpochMilli())) {
                held = Reason.RATE_LIMITED;
            }
            if (held == null) {
                sending.add(sendAll(request, devices.get(user), claim.count(), deadline));
            } else {
                ledger.release(user, request.conversationId());
                outcomes.add(held(user, Result.SUPPRESSED, held, claim.count()));
            }
        }
        for (CompletableFuture<List<Outcome>> user : sending) {
            outcomes.addAll(user.join());
        }
        return new PushReported(request.conversationId(), request.serverSeq(), outcomes);
    }

    private static Outcome held(String user, Result result, Reason reason, int count) {
        return new Outcome(user, null, null, result, reason, null, 0, count);
    }

    /** Every device of one user at once; if none got it, the next message of the conversation notifies again. */
    private CompletableFuture<List<Outcome>> sendAll(PushRequested request, List<Device> devices, int count, Instant deadline) {
        List<CompletableFuture<Outcome>> each = new ArrayList<>();
        for (Device device : devices) {
            Notification notification = new Notification(device.userId(), device.deviceId(), device.provider(), device.token(),
                    device.appId(), request.conversationId(), request.serverSeq(), request.sender(), body(request, count), count);
            Gateway gateway = gateways.get(device.provider());
            if (gateway == null) {
                each.add(CompletableFuture.completedFuture(new Outcome(device.userId(), device.deviceId(), device.provider(),
                        Result.FAILED, Reason.NOT_CONFIGURED, null, 0, count)));
                continue;
            }
            each.add(retrying.send(gateway, notification, deadline).thenApply(sent -> outcome(device, sent, count)));
        }
        return CompletableFuture.allOf(each.toArray(CompletableFuture[]::new)).thenApply(done -> {
            List<Outcome> outcomes = each.stream().map(CompletableFuture::join).toList();
            if (outcomes.stream().noneMatch(o -> o.result() == Result.SENT)) {
                ledger.release(devices.get(0).userId(), request.conversationId());
            }
            return outcomes;
        });
    }

    private Outcome outcome(Device device, Retrying.Outcome sent, int count) {
        Attempt last = sent.last();
        Integer status = last.status() == 0 ? null : last.status();
        Result result = Result.FAILED;
        Reason reason = null;
        switch (last.verdict()) {
            case DELIVERED -> result = Result.SENT;
            case TOKEN_INVALID -> {
                tokens.remove(device);
                reason = Reason.TOKEN_INVALID;
            }
            case RETRY -> reason = last.status() == 429 ? Reason.RATE_LIMITED : Reason.RETRIES_EXHAUSTED;
            case REJECTED -> reason = Reason.PROVIDER_ERROR;
        }
        return new Outcome(device.userId(), device.deviceId(), device.provider(), result, reason, status, sent.attempts(), count);
    }

    private static String body(PushRequested request, int count) {
        String preview = request.preview() == null || request.preview().isBlank() ? "New message" : request.preview();
        return count <= 1 ? preview : count + " new messages. Latest: " + preview;
    }
}
