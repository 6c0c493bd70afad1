package im.parley.eventing;

import static im.parley.eventing.EventType.Channel.BROKER;
import static im.parley.eventing.EventType.Channel.COMPOSED;
import static im.parley.eventing.EventType.Channel.DELIVERY;
import static im.parley.eventing.EventType.DEFAULT_BROKER;
import static im.parley.eventing.EventType.MESSAGES_BROKER;
import static im.parley.eventing.EventType.KeyKind.CONVERSATION;
import static im.parley.eventing.EventType.KeyKind.FRIENDSHIP;
import static im.parley.eventing.EventType.KeyKind.NODE;
import static im.parley.eventing.EventType.KeyKind.USER;

import im.parley.eventing.connection.ConnectionClosed;
import im.parley.eventing.connection.ConnectionOpened;
import im.parley.eventing.delivery.DeliveryBatch;
import im.parley.eventing.friend.FriendAction;
import im.parley.eventing.friend.FriendRequested;
import im.parley.eventing.group.GroupCreateRequested;
import im.parley.eventing.group.GroupMemberChanged;
import im.parley.eventing.group.GroupMembersRequested;
import im.parley.eventing.group.GroupRoleRequested;
import im.parley.eventing.message.ConversationIds;
import im.parley.eventing.message.MessageAmended;
import im.parley.eventing.message.MessagePersisted;
import im.parley.eventing.message.MessageRejected;
import im.parley.eventing.message.MessageSent;
import im.parley.eventing.message.MessageSequenced;
import im.parley.eventing.presence.PresenceReported;
import im.parley.eventing.presence.PresenceWatchRequested;
import im.parley.eventing.push.PushReported;
import im.parley.eventing.push.PushRequested;
import im.parley.eventing.push.PushSettingsUpdated;
import im.parley.eventing.push.PushTokenRegistered;
import im.parley.eventing.receipt.Receipt;
import im.parley.eventing.sync.SyncRequested;
import im.parley.eventing.sync.SyncResponded;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Every event type in schemas/cloudevents/catalog.yaml, typed. A test keeps the two in step. */
public final class EventTypes {

    public static final EventType<MessageSent> MESSAGE_SENT =
            byConversation("message.sent", MESSAGES_BROKER, MessageSent.class, MessageSent::conversationId);
    public static final EventType<MessageAmended> MESSAGE_AMENDED =
            byConversation("message.amended", MESSAGES_BROKER, MessageAmended.class, MessageAmended::conversationId);
    public static final EventType<MessageSequenced> MESSAGE_SEQUENCED =
            composed("message.sequenced", MessageSequenced.class, d -> d.message().conversationId());
    public static final EventType<MessagePersisted> MESSAGE_PERSISTED =
            composed("message.persisted", MessagePersisted.class, d -> d.message().conversationId());
    public static final EventType<MessageRejected> MESSAGE_REJECTED =
            composed("message.rejected", MessageRejected.class, MessageRejected::conversationId);

    public static final EventType<DeliveryBatch> DELIVERY_BATCH = new EventType<>("delivery.batch", DeliveryBatch.class,
            NODE, DELIVERY, null, (d, a) -> PartitionKeys.node(d.nodeId()));

    public static final EventType<Receipt> RECEIPT_DELIVERED =
            byConversation("receipt.delivered", Receipt.class, Receipt::conversationId);
    public static final EventType<Receipt> RECEIPT_READ =
            byConversation("receipt.read", Receipt.class, Receipt::conversationId);

    public static final EventType<SyncRequested> SYNC_REQUESTED = byActor("sync.requested", SyncRequested.class);
    public static final EventType<SyncResponded> SYNC_RESPONDED = new EventType<>("sync.responded", SyncResponded.class,
            NODE, DELIVERY, null, (d, a) -> PartitionKeys.node(d.nodeId()));

    public static final EventType<GroupCreateRequested> GROUP_CREATE_REQUESTED = byConversation(
            "group.create.requested", GroupCreateRequested.class, d -> ConversationIds.group(d.groupId()));
    public static final EventType<GroupMembersRequested> GROUP_JOIN_REQUESTED = byConversation(
            "group.join.requested", GroupMembersRequested.class, d -> ConversationIds.group(d.groupId()));
    public static final EventType<GroupMembersRequested> GROUP_LEAVE_REQUESTED = byConversation(
            "group.leave.requested", GroupMembersRequested.class, d -> ConversationIds.group(d.groupId()));
    public static final EventType<GroupRoleRequested> GROUP_ROLE_REQUESTED = byConversation(
            "group.role.requested", GroupRoleRequested.class, d -> ConversationIds.group(d.groupId()));
    public static final EventType<GroupMemberChanged> GROUP_MEMBER_CHANGED = byConversation(
            "group.member.changed", GroupMemberChanged.class, d -> ConversationIds.group(d.groupId()));

    public static final EventType<FriendRequested> FRIEND_REQUESTED = new EventType<>("friend.requested",
            FriendRequested.class, FRIENDSHIP, BROKER, DEFAULT_BROKER, (d, a) -> PartitionKeys.friendship(actor(a).userId(), d.userId()));
    public static final EventType<FriendAction> FRIEND_ACCEPTED = friendship("friend.accepted");
    public static final EventType<FriendAction> FRIEND_DECLINED = friendship("friend.declined");
    public static final EventType<FriendAction> FRIEND_CANCELLED = friendship("friend.cancelled");
    public static final EventType<FriendAction> FRIEND_REMOVED = friendship("friend.removed");
    public static final EventType<FriendAction> FRIEND_BLOCKED = friendship("friend.blocked");
    public static final EventType<FriendAction> FRIEND_UNBLOCKED = friendship("friend.unblocked");

    public static final EventType<PushTokenRegistered> PUSH_TOKEN_REGISTERED =
            byActor("push.token.registered", PushTokenRegistered.class);
    public static final EventType<PushSettingsUpdated> PUSH_SETTINGS_UPDATED =
            byActor("push.settings.updated", PushSettingsUpdated.class);
    public static final EventType<PushRequested> PUSH_REQUESTED =
            byConversation("push.requested", DEFAULT_BROKER, PushRequested.class, PushRequested::conversationId);
    public static final EventType<PushReported> PUSH_REPORTED =
            byConversation("push.reported", DEFAULT_BROKER, PushReported.class, PushReported::conversationId);

    public static final EventType<PresenceReported> PRESENCE_REPORTED =
            byActor("presence.reported", PresenceReported.class);
    public static final EventType<PresenceWatchRequested> PRESENCE_WATCH_REQUESTED =
            byActor("presence.watch.requested", PresenceWatchRequested.class);

    public static final EventType<ConnectionOpened> CONNECTION_OPENED =
            byActor("connection.opened", ConnectionOpened.class);
    public static final EventType<ConnectionClosed> CONNECTION_CLOSED =
            byActor("connection.closed", ConnectionClosed.class);

    private static final List<EventType<?>> ALL = List.of(
            MESSAGE_SENT, MESSAGE_AMENDED, MESSAGE_SEQUENCED, MESSAGE_PERSISTED, MESSAGE_REJECTED, DELIVERY_BATCH,
            RECEIPT_DELIVERED, RECEIPT_READ, SYNC_REQUESTED, SYNC_RESPONDED,
            GROUP_CREATE_REQUESTED, GROUP_JOIN_REQUESTED, GROUP_LEAVE_REQUESTED, GROUP_ROLE_REQUESTED,
            GROUP_MEMBER_CHANGED,
            FRIEND_REQUESTED, FRIEND_ACCEPTED, FRIEND_DECLINED, FRIEND_CANCELLED, FRIEND_REMOVED, FRIEND_BLOCKED,
            FRIEND_UNBLOCKED, PUSH_TOKEN_REGISTERED, PUSH_SETTINGS_UPDATED, PUSH_REQUESTED, PUSH_REPORTED,
            PRESENCE_REPORTED, PRESENCE_WATCH_REQUESTED, CONNECTION_OPENED, CONNECTION_CLOSED);

    private static final Map<String, EventType<?>> BY_TYPE =
            ALL.stream().collect(Collectors.toUnmodifiableMap(EventType::type, t -> t));

    private EventTypes() {
    }

    public static List<EventType<?>> all() {
        return ALL;
    }

    public static Optional<EventType<?>> byType(String type) {
        return Optional.ofNullable(BY_TYPE.get(type));
    }

    private static <T> EventType<T> byConversation(String name, Class<T> data, Function<T, String> conversation) {
        return byConversation(name, DEFAULT_BROKER, data, conversation);
    }

    private static <T> EventType<T> byConversation(String name, String broker, Class<T> data, Function<T, String> conversation) {
        return new EventType<>(name, data, CONVERSATION, BROKER, broker,
                (d, a) -> PartitionKeys.conversation(conversation.apply(d)));
    }

    private static <T> EventType<T> composed(String name, Class<T> data, Function<T, String> conversation) {
        return new EventType<>(name, data, CONVERSATION, COMPOSED, null,
                (d, a) -> PartitionKeys.conversation(conversation.apply(d)));
    }

    private static <T> EventType<T> byActor(String name, Class<T> data) {
        return new EventType<>(name, data, USER, BROKER, DEFAULT_BROKER, (d, a) -> PartitionKeys.user(actor(a).userId()));
    }

    private static EventType<FriendAction> friendship(String name) {
        return new EventType<>(name, FriendAction.class, FRIENDSHIP, BROKER, DEFAULT_BROKER,
                (d, a) -> PartitionKeys.friendship(actor(a).userId(), d.userId()));
    }

    private static Actor actor(Actor actor) {
        if (actor == null) {
            throw new InvalidEventException("this event type needs the authenticated actor to choose its partition key");
        }
        return actor;
    }
}
