package im.parley.sequence;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import im.parley.eventing.message.MessageRejected.Reason;
import im.parley.eventing.message.ConversationIds;
import java.util.List;
import java.util.Optional;

/**
 * Posting rights from Cassandra. A group admits its members. A 1:1 chat admits its two users when they are
 * friends, or, when friendship is not required, when neither has blocked the other. A block always ends the
 * friendship (one logged batch), so friends need one read; the blocked side is only ever told {@code not-friends}
 * while friendship is required, and {@code blocked} (never by whom) otherwise.
 */
public final class CassandraPostingRights implements PostingRights {

    private final CqlSession session;
    private final boolean friendsOnly;
    private final PreparedStatement friends;
    private final PreparedStatement blocked;
    private final PreparedStatement member;
    private final PreparedStatement group;

    /** @param friendsOnly whether a 1:1 message needs the two users to be friends */
    public CassandraPostingRights(CqlSession session, boolean friendsOnly) {
        this.session = session;
        this.friendsOnly = friendsOnly;
        this.friends = session.prepare("SELECT friend_id FROM friends WHERE user_id = ? AND friend_id = ?");
        this.blocked = session.prepare("SELECT blocked_id FROM blocks WHERE user_id = ? AND blocked_id = ?");
        this.member = session.prepare("SELECT role FROM group_members WHERE group_id = ? AND user_id = ?");
        this.group = session.prepare("SELECT group_id FROM groups WHERE group_id = ?");
    }

    @Override
    public Optional<Reason> check(String conversationId, String userId) {
        List<String> pair = ConversationIds.directUsers(conversationId);
        if (!pair.isEmpty()) {
            if (!pair.contains(userId)) {
                return Optional.of(Reason.NOT_MEMBER);
            }
            String peer = userId.equals(pair.get(0)) ? pair.get(1) : pair.get(0);
            if (friendsOnly) {
                if (exists(friends.bind(userId, peer))) {
                    return Optional.empty();
                }
                return Optional.of(exists(blocked.bind(userId, peer)) ? Reason.BLOCKED : Reason.NOT_FRIENDS);
            }
            boolean blockedEitherWay = exists(blocked.bind(peer, userId)) || exists(blocked.bind(userId, peer));
            return blockedEitherWay ? Optional.of(Reason.BLOCKED) : Optional.empty();
        }
        if (conversationId.startsWith("g:")) {
            String groupId = conversationId.substring(2);
            if (exists(member.bind(groupId, userId))) {
                return Optional.empty();
            }
            return !exists(group.bind(groupId))
                    ? Optional.of(Reason.CONVERSATION_UNKNOWN) : Optional.of(Reason.NOT_MEMBER);
        }
        return Optional.of(Reason.CONVERSATION_UNKNOWN);
    }

    private boolean exists(BoundStatement statement) {
        return session.execute(statement).one() != null;
    }
}
