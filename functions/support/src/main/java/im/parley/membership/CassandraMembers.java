package im.parley.membership;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import im.parley.eventing.message.ConversationIds;
import java.util.ArrayList;
import java.util.List;

/** Members: the two users of a 1:1 chat, or a group's rows in {@code group_members}. */
public final class CassandraMembers implements Members {

    /** A group up to the default member limit in one page: each further page is a round trip in series. */
    static final int PAGE = 10_000;

    private final CqlSession session;
    private final PreparedStatement group;

    public CassandraMembers(CqlSession session) {
        this.session = session;
        this.group = session.prepare("SELECT user_id FROM group_members WHERE group_id = ?");
    }

    @Override
    public List<String> of(String conversationId) {
        List<String> pair = ConversationIds.directUsers(conversationId);
        if (!pair.isEmpty()) {
            return pair;
        }
        if (conversationId.startsWith("g:")) {
            List<String> members = new ArrayList<>();
            for (Row row : session.execute(group.bind(conversationId.substring(2)).setPageSize(PAGE))) {
                members.add(row.getString(0));
            }
            return members;
        }
        throw new IllegalArgumentException("not a conversation id: " + conversationId);
    }
}
