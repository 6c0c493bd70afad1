package im.parley.sync;

import im.parley.eventing.friend.FriendEntry;
import im.parley.eventing.group.GroupMemberChanged;
import im.parley.eventing.message.Message;
import java.util.List;
import java.util.Optional;

/** What sync reads: stored messages by seq, a user's conversations and read state. */
public interface History {

    /** Up to {@code limit} messages after {@code afterSeq}, in seq order. */
    List<Message> after(String conversationId, long afterSeq, int limit);

    /** The last stored seq, 0 for none. */
    long lastSeq(String conversationId);

    Optional<Message> message(String conversationId, long seq);

    List<String> conversationsOf(String userId);

    boolean isMember(String conversationId, String userId);

    /** The user's read and delivered watermarks in the conversation, 0 when none. */
    long[] readAndDelivered(String conversationId, String userId);

    /** A group's members with their roles, in user id order. */
    List<GroupMemberChanged.Member> groupMembers(String groupId);

    /** The members whose read watermark is at or past seq, in user id order. */
    List<String> readers(String conversationId, long seq);

    /** The user's friends, pending requests either way and blocks: friends first, each kind in user id order. */
    List<FriendEntry> friends(String userId);
}
