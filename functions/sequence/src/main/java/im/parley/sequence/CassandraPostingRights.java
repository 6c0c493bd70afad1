package im.parley.sequence;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import im.parley.eventing.message.MessageRejected.Reason;
import im.parley.eventing.message.ConversationIds;
import java.util.List;
import java.util.Optional;

/**
 * Posting rights from Cassandra. A 1:1 chat admits its two users unless either has blocked the other (the
 * reason does not say who); a group admits its members.
 */
public final class CassandraPostingRights implements PostingRights {

    private final CqlSession session;
    private final PreparedStatement blocked;
    private final PreparedStatement member;
    private final PreparedStatement group;

    public CassandraPostingRights(CqlSession session) {
        this.session = session;
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
            boolean blockedEitherWay = session.execute(blocked.bind(peer, userId)).one() != null
                    || session.execute(blocked.bind(userId, peer)).one() != null;
            return blockedEitherWay ? Optional.of(Reason.BLOCKED) : Optional.empty();
        }
        if (conversationId.startsWith("g:")) {
            String groupId = conversationId.substring(2);
            if (session.execute(member.bind(groupId, userId)).one() != null) {
                return Optional.empty();
            }
            return session.execute(group.bind(groupId)).one() == null
                    ? Optional.of(Reason.CONVERSATION_UNKNOWN) : Optional.of(Reason.NOT_MEMBER);
        }
        return Optional.of(Reason.CONVERSATION_UNKNOWN);
    }
}
