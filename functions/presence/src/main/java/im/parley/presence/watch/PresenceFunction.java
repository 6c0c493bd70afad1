package im.parley.presence.watch;

import im.parley.delivery.Deliveries;
import im.parley.due.DueSet;
import im.parley.eventing.Actor;
import im.parley.eventing.EventTypes;
import im.parley.eventing.delivery.DeliveryBatch;
import im.parley.eventing.delivery.Frames;
import im.parley.eventing.frame.ErrorFrame;
import im.parley.eventing.frame.PresenceFrame;
import im.parley.eventing.presence.PresenceState;
import im.parley.eventing.presence.PresenceWatchRequested;
import im.parley.functions.handlers.Handlers;
import im.parley.functions.handlers.Reply;
import im.parley.social.SocialGraph;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code im.parley.connection.opened}, {@code connection.closed}, {@code presence.reported} and
 * {@code presence.watch.requested} in; nothing replied. A change only marks the user to settle after the debounce
 * window (a {@link DueSet}); {@link PresenceSettler} then tells watchers once, so a flapping connection costs them
 * nothing. A device that connects, or adds users to its watch list, gets their current states straight away.
 */
public final class PresenceFunction {

    /** The Redis sorted set of users waiting to settle. */
    public static final String DUE = "parley:presence:due";

    private final PresenceBoard board;
    private final DueSet due;
    private final SocialGraph graph;
    private final Deliveries deliveries;
    private final Duration debounce;
    private final int maxWatched;
    private final Clock clock;

    public PresenceFunction(PresenceBoard board, DueSet due, SocialGraph graph, Deliveries deliveries,
                            Duration debounce, int maxWatched, Clock clock) {
        this.board = board;
        this.due = due;
        this.graph = graph;
        this.deliveries = deliveries;
        this.debounce = debounce;
        this.maxWatched = maxWatched;
        this.clock = clock;
    }

    /** What hosting serves: a device comes or goes, reports a state, or changes its watch list. */
    public Handlers handlers() {
        return Handlers.of("presence")
                .on(EventTypes.CONNECTION_OPENED, (opened, context) -> {
                    Actor actor = context.requireActor();
                    settleLater(actor.userId());
                    snapshot(actor, graph.friendsAnd(actor.userId(), board.watching(actor.userId())));
                    return Reply.none();
                })
                .on(EventTypes.CONNECTION_CLOSED, (closed, context) -> {
                    Actor actor = context.requireActor();
                    board.forget(actor.userId(), actor.deviceId());
                    settleLater(actor.userId());
                    return Reply.none();
                })
                .on(EventTypes.PRESENCE_REPORTED, (reported, context) -> {
                    Actor actor = context.requireActor();
                    board.report(actor.userId(), actor.deviceId(), reported.state());
                    settleLater(actor.userId());
                    return Reply.none();
                })
                .on(EventTypes.PRESENCE_WATCH_REQUESTED, (request, context) -> {
                    watch(context.requireActor(), request);
                    return Reply.none();
                })
                .build();
    }

    private void settleLater(String userId) {
        due.schedule(userId, clock.millis() + debounce.toMillis());
    }

    private void watch(Actor actor, PresenceWatchRequested request) {
        List<String> remove = request.remove() == null ? List.of() : request.remove();
        Set<String> add = new LinkedHashSet<>(request.add() == null ? List.of() : request.add());
        add.remove(actor.userId());
        add.removeIf(user -> graph.blockedEitherWay(actor.userId(), user));
        Set<String> after = new LinkedHashSet<>(board.watching(actor.userId()));
        remove.forEach(after::remove);
        after.addAll(add);
        if (after.size() > maxWatched) {
            deliveries.toActor(actor, ErrorFrame.of("LIMIT_EXCEEDED", "a watch list holds at most " + maxWatched + " users"));
            return;
        }
        board.watch(actor.userId(), add, remove);
        snapshot(actor, add);
    }

    /** The current state of each of these users that is not offline, to the one device. */
    private void snapshot(Actor actor, Set<String> users) {
        if (users.isEmpty()) {
            return;
        }
        List<DeliveryBatch.Item> items = new ArrayList<>();
        board.published(users).forEach((user, published) -> {
            if (published.state() != PresenceState.OFFLINE) {
                items.add(new DeliveryBatch.Item(List.of(actor.device()), Frames.of(frame(user, published))));
            }
        });
        if (!items.isEmpty()) {
            deliveries.addressed(new DeliveryBatch(actor.nodeId(), items));
        }
    }

    static PresenceFrame frame(String userId, Published published) {
        return new PresenceFrame(userId, published.state(), Instant.ofEpochMilli(published.since()));
    }
}
