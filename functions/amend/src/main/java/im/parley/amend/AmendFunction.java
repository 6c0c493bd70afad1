package im.parley.amend;

import im.parley.delivery.Deliveries;
import im.parley.eventing.Actor;
import im.parley.eventing.EventTypes;
import im.parley.eventing.broker.BrokerSink;
import im.parley.eventing.frame.ErrorFrame;
import im.parley.eventing.group.GroupMemberChanged.Role;
import im.parley.eventing.message.ContentType;
import im.parley.eventing.message.ConversationIds;
import im.parley.eventing.message.Message;
import im.parley.eventing.message.MessageAmended;
import im.parley.eventing.message.MessageAmended.Kind;
import im.parley.functions.handlers.Context;
import im.parley.functions.handlers.Handlers;
import im.parley.functions.handlers.Reply;
import im.parley.membership.Groups;
import im.parley.messages.Messages;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * {@code im.parley.message.edit.requested} and {@code im.parley.message.recall.requested} in. Who may is decided
 * here: a message's sender edits its own text message within the edit window and recalls its own message within the
 * recall window; a group's owner or admin recalls any message of the group. An allowed amendment goes to the message
 * broker as {@code im.parley.message.amended}, where the message path sequences, stores and delivers it like a
 * message, and acks it by its clientMsgId; a refused one is an {@code error} frame to the asking device.
 */
public final class AmendFunction {

    /** How long after sending a message may be edited, and recalled by its sender. */
    public record Settings(Duration editWindow, Duration recallWindow) {
    }

    /** Below the Trigger's attempt timeout: an amendment the broker did not take fails the attempt, which is retried. */
    static final Duration EMIT_TIMEOUT = Duration.ofSeconds(3);

    private final Messages messages;
    private final Groups groups;
    private final Deliveries deliveries;
    private final BrokerSink broker;
    private final Settings settings;
    private final Clock clock;

    public AmendFunction(Messages messages, Groups groups, Deliveries deliveries, BrokerSink broker,
                         Settings settings, Clock clock) {
        this.messages = messages;
        this.groups = groups;
        this.deliveries = deliveries;
        this.broker = broker;
        this.settings = settings;
        this.clock = clock;
    }

    /** What hosting serves: one handler per event type, each with its Trigger in manifests/. */
    public Handlers handlers() {
        return Handlers.of("amend")
                .on("im.parley.message.edit.requested", EditRequested.class, (edit, context) -> amend(
                        new MessageAmended(edit.conversationId(), edit.clientMsgId(), edit.seq(), Kind.EDIT, edit.content()),
                        context))
                .on("im.parley.message.recall.requested", RecallRequested.class, (recall, context) -> amend(
                        new MessageAmended(recall.conversationId(), recall.clientMsgId(), recall.seq(), Kind.RECALL, null),
                        context))
                .emittingTo(broker)
                .build();
    }

    private Reply<?> amend(MessageAmended amendment, Context context) {
        Actor actor = context.requireActor();
        Optional<ErrorFrame> refused = refusal(amendment, actor.userId());
        if (refused.isPresent()) {
            deliveries.toActor(actor, refused.get());
            return Reply.none();
        }
        context.emitAndWait(EventTypes.MESSAGE_AMENDED, amendment, EMIT_TIMEOUT);
        return Reply.none();
    }

    private Optional<ErrorFrame> refusal(MessageAmended amendment, String user) {
        String conversation = amendment.conversationId();
        Optional<Role> role = Optional.empty();
        if (conversation.startsWith("g:")) {
            role = groups.role(conversation.substring(2), user);
            if (role.isEmpty()) {
                return refuse(amendment, "not-member", "you are not a member of this group");
            }
        } else if (!ConversationIds.directUsers(conversation).contains(user)) {
            return refuse(amendment, "not-member", "you are not in this conversation");
        }
        Optional<Message> found = messages.find(conversation, amendment.refersTo());
        if (found.isEmpty()) {
            return refuse(amendment, "message-unknown", "no message " + amendment.refersTo() + " in this conversation");
        }
        Message message = found.get();
        if (message.contentType().isAmendment()) {
            return refuse(amendment, "invalid", "an edit or a recall cannot itself be edited or recalled");
        }
        if (message.isRecalled()) {
            return refuse(amendment, "recalled", "the message was recalled");
        }
        boolean own = message.sender().userId().equals(user);
        Duration age = Duration.between(message.sentAt(), clock.instant());
        if (amendment.kind() == Kind.EDIT) {
            if (!own) {
                return refuse(amendment, "not-allowed", "only its sender edits a message");
            }
            if (message.contentType() != ContentType.TEXT) {
                return refuse(amendment, "invalid", "only a text message can be edited");
            }
            return age.compareTo(settings.editWindow()) > 0
                    ? refuse(amendment, "window-passed", "messages can be edited for " + settings.editWindow() + " after sending")
                    : Optional.empty();
        }
        if (role.isPresent() && role.get() != Role.MEMBER) {
            return Optional.empty();
        }
        if (!own) {
            return refuse(amendment, "not-allowed", "only its sender or a group admin recalls a message");
        }
        return age.compareTo(settings.recallWindow()) > 0
                ? refuse(amendment, "window-passed", "messages can be recalled for " + settings.recallWindow() + " after sending")
                : Optional.empty();
    }

    private static Optional<ErrorFrame> refuse(MessageAmended amendment, String code, String reason) {
        return Optional.of(new ErrorFrame(code, reason, amendment.clientMsgId(), amendment.conversationId(), null, null));
    }
}
