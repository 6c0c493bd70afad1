package im.parley.membership;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import im.parley.eventing.message.ConversationIds;
import java.util.ArrayList;
import java.util.List;

/**
 * Members: the two users of a 1:1 chat, or a group's rows in {@code group_members}. A group's list is kept in the
 * process under the group's version and read again only when the header in {@code groups} shows another version,
 * so a message to a large group reads one row instead of all of them (decision 0054).
 */
public final class CassandraMembers implements Members {

    /** A group up to the default member limit in one page: each further page is a round trip in series. */
    static final int PAGE = 10_000;

    /** Member ids kept by one reader, across groups: about 60 bytes each. */
    static final long KEPT_MEMBERS = 200_000;

    private record Listed(long version, List<String> members) { }

    private final CqlSession session;
    private final PreparedStatement group;
    private final PreparedStatement header;
    private final Cache<String, Listed> kept = Caffeine.newBuilder().maximumWeight(KEPT_MEMBERS)
            .weigher((String groupId, Listed listed) -> listed.members().size() + 1).build();

    public CassandraMembers(CqlSession session) {
        this.session = session;
        this.group = session.prepare("SELECT user_id FROM group_members WHERE group_id = ?");
        this.header = session.prepare("SELECT version, last_applied FROM groups WHERE group_id = ?");
    }

    @Override
    public List<String> of(String conversationId) {
        List<String> pair = ConversationIds.directUsers(conversationId);
        if (!pair.isEmpty()) {
            return pair;
        }
        if (conversationId.startsWith("g:")) {
            return group(conversationId.substring(2));
        }
        throw new IllegalArgumentException("not a conversation id: " + conversationId);
    }

    /**
     * The group function writes a change's header (new version, not applied) before its member rows, and marks it
     * applied after them. So the rows read after a header that says "applied at version v" hold at least v's
     * members, and a list is kept only under such a header: one read under a later change is kept under the
     * earlier version, which the header no longer shows.
     */
    private List<String> group(String groupId) {
        Row head = session.execute(header.bind(groupId)).one();
        boolean settled = head != null && !head.isNull("version") && !head.isNull("last_applied")
                && head.getBoolean("last_applied");
        if (!settled) {
            return rows(groupId);
        }
        long version = head.getLong("version");
        Listed listed = kept.getIfPresent(groupId);
        if (listed != null && listed.version() == version) {
            return listed.members();
        }
        List<String> members = rows(groupId);
        kept.put(groupId, new Listed(version, members));
        return members;
    }

    private List<String> rows(String groupId) {
        List<String> members = new ArrayList<>();
        for (Row row : session.execute(group.bind(groupId).setPageSize(PAGE))) {
            members.add(row.getString(0));
        }
        return List.copyOf(members);
    }
}
