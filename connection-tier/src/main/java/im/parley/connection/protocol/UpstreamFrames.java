package im.parley.connection.protocol;

import im.parley.eventing.EventType;
import im.parley.eventing.EventTypes;
import java.util.Map;

/** Which event each upstream frame type becomes. Frames carry the event's data as their "d" field. */
public final class UpstreamFrames {

    public static final Map<String, EventType<?>> EVENT_OF = Map.ofEntries(
            Map.entry("send", EventTypes.MESSAGE_SENT),
            Map.entry("receipt.delivered", EventTypes.RECEIPT_DELIVERED),
            Map.entry("receipt.read", EventTypes.RECEIPT_READ),
            Map.entry("sync", EventTypes.SYNC_REQUESTED),
            Map.entry("group.create", EventTypes.GROUP_CREATE_REQUESTED),
            Map.entry("group.join", EventTypes.GROUP_JOIN_REQUESTED),
            Map.entry("group.leave", EventTypes.GROUP_LEAVE_REQUESTED),
            Map.entry("group.role", EventTypes.GROUP_ROLE_REQUESTED),
            Map.entry("friend.request", EventTypes.FRIEND_REQUESTED),
            Map.entry("friend.accept", EventTypes.FRIEND_ACCEPTED),
            Map.entry("friend.decline", EventTypes.FRIEND_DECLINED),
            Map.entry("friend.cancel", EventTypes.FRIEND_CANCELLED),
            Map.entry("friend.remove", EventTypes.FRIEND_REMOVED),
            Map.entry("friend.block", EventTypes.FRIEND_BLOCKED),
            Map.entry("friend.unblock", EventTypes.FRIEND_UNBLOCKED),
            Map.entry("presence.set", EventTypes.PRESENCE_REPORTED),
            Map.entry("presence.watch", EventTypes.PRESENCE_WATCH_REQUESTED),
            Map.entry("push.register", EventTypes.PUSH_TOKEN_REGISTERED),
            Map.entry("push.settings", EventTypes.PUSH_SETTINGS_UPDATED));

    private UpstreamFrames() {
    }
}
