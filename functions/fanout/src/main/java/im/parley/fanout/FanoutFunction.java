package im.parley.fanout;

import im.parley.delivery.Deliveries;
import im.parley.eventing.Actor;
import im.parley.eventing.broker.BrokerSink;
import im.parley.eventing.EventTypes;
import im.parley.eventing.delivery.DeliveryBatch;
import im.parley.eventing.delivery.Frames;
import im.parley.eventing.frame.AckFrame;
import im.parley.eventing.frame.ErrorFrame;
import im.parley.eventing.group.GroupMemberChanged;
import im.parley.eventing.message.ContentType;
import im.parley.eventing.message.ConversationIds;
import im.parley.eventing.message.DeviceRef;
import im.parley.eventing.message.Message;
import im.parley.eventing.message.MessageRejected;
import im.parley.eventing.push.PushRequested;
import im.parley.functions.handlers.Context;
import im.parley.functions.handlers.Handlers;
import im.parley.functions.handlers.Reply;
import im.parley.membership.Members;
import im.parley.social.SocialGraph;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * <ul>
 *   <li>{@code im.parley.message.persisted}: the message to every online device of every member but the sending
 *       device, and the sender's {@code ack} to the node the message came from, in one round trip; the ack is sent
 *       only once the message is stored. A group message skips the members who blocked its sender (a 1:1 message
 *       across a block is refused before it is sequenced). Members with no online device are sent to the default broker as one
 *       {@code im.parley.push.requested}: not a reply, since replies go to the message path's own broker, whose
 *       every event each of its Triggers reads. An edit or a recall is delivered as a message referring to the
 *       one it amends, and never pushed.</li>
 *   <li>{@code im.parley.message.rejected}: an {@code error} frame to the sending device, naming the clientMsgId.</li>
 *   <li>{@code im.parley.group.member.changed}: a {@code group} frame to the members and to those who left or were
 *       removed. Member lists longer than {@link #LISTED_MEMBERS} are left out; clients ask sync for them.</li>
 * </ul>
 */
public final class FanoutFunction {

    public static final int LISTED_MEMBERS = 100;
    static final int PREVIEW_LENGTH = 100;

    /** Below the Trigger's attempt timeout: a push request not taken fails the attempt, and the retry sends it. */
    static final Duration PUSH_REQUEST_TIMEOUT = Duration.ofSeconds(3);

    private final Members members;
    private final Deliveries deliveries;
    private final BrokerSink broker;
    private final SocialGraph graph;

    public FanoutFunction(Members members, Deliveries deliveries, BrokerSink broker, SocialGraph graph) {
        this.members = members;
        this.deliveries = deliveries;
        this.broker = broker;
        this.graph = graph;
    }

    /** What hosting serves, last in the messaging composition and on its own for group changes. */
    public Handlers handlers() {
        return Handlers.of("fanout")
                .on(EventTypes.MESSAGE_PERSISTED, (persisted, context) -> {
                    persisted(persisted.message(), context);
                    return Reply.none();
                })
                .on(EventTypes.MESSAGE_REJECTED, (rejected, context) -> {
                    rejected(rejected, context.requireActor());
                    return Reply.none();
                })
                .on(EventTypes.GROUP_MEMBER_CHANGED, (change, context) -> {
                    memberChanged(change);
                    return Reply.none();
                })
                .emittingTo(broker)
                .build();
    }

    /**
     * A message reaches its members once: a retry (of the message path as a whole, or a resent clientMsgId) delivers
     * it if, and only if, no attempt has delivered it yet, since the first may have failed before reaching anyone.
     * The sender is acked every time. Push dedupes per message too.
     */
    private void persisted(Message message, Context context) {
        Actor sender = context.requireActor();
        DeviceRef sendingDevice = new DeviceRef(sender.userId(), sender.deviceId());
        List<String> everyone = members.of(message.conversationId());
        if (message.conversationId().startsWith("g:")) {
            everyone = new ArrayList<>(everyone);
            everyone.removeAll(graph.blockersOf(sender.userId()));
        }
        var ack = Frames.of(new AckFrame(message.clientMsgId(), message.conversationId(), message.serverSeq()));
        Set<String> offline = new LinkedHashSet<>(deliveries.toUsers(everyone, sendingDevice, Frames.of("msg", message),
                "msg:" + message.conversationId() + ":" + message.serverSeq(), List.of(DeliveryBatch.toActor(sender, ack))));
        offline.remove(sender.userId());
        // An edit or recall is no new message to notify of: offline devices learn of it on catch-up.
        if (!offline.isEmpty() && !message.contentType().isAmendment()) {
            context.emitAndWait(EventTypes.PUSH_REQUESTED, new PushRequested(message.conversationId(), message.serverSeq(),
                    sender.userId(), preview(message), List.copyOf(offline)), PUSH_REQUEST_TIMEOUT);
        }
    }

    private static String preview(Message message) {
        if (message.contentType() != ContentType.TEXT || message.content() == null) {
            return null;
        }
        String content = message.content();
        return content.length() <= PREVIEW_LENGTH ? content : content.substring(0, PREVIEW_LENGTH - 1) + "\u2026";
    }

    private void memberChanged(GroupMemberChanged change) {
        Set<String> told = new LinkedHashSet<>(members.of(ConversationIds.group(change.groupId())));
        change.members().forEach(m -> told.add(m.userId()));
        GroupMemberChanged shown = change.members().size() <= LISTED_MEMBERS ? change : new GroupMemberChanged(
                change.groupId(), change.change(), change.actor(), null, change.memberCount(), change.version());
        deliveries.toUsers(told, null, Frames.of("group", shown), null, List.of());
    }

    private void rejected(MessageRejected rejected, Actor sender) {
        deliveries.toActor(sender, new ErrorFrame(rejected.reason().code(), "message not accepted",
                rejected.clientMsgId(), rejected.conversationId(), null, null));
    }
}
