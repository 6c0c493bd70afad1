package im.parley.membership;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import im.parley.eventing.group.GroupInvitation;
import im.parley.eventing.group.GroupMemberChanged;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** Groups as the group function writes them: {@code groups}, {@code group_members} and {@code group_invitations}. */
public final class CassandraGroups implements Groups {

    private final CqlSession session;
    private final PreparedStatement group;
    private final PreparedStatement member;
    private final PreparedStatement members;
    private final PreparedStatement invited;

    public CassandraGroups(CqlSession session) {
        this.session = session;
        this.group = session.prepare("SELECT group_id FROM groups WHERE group_id = ?");
        this.member = session.prepare("SELECT role FROM group_members WHERE group_id = ? AND user_id = ?");
        this.members = session.prepare("SELECT user_id, role FROM group_members WHERE group_id = ?");
        this.invited = session.prepare(
                "SELECT group_id, group_name, inviter, invited_at FROM group_invitations WHERE user_id = ?");
    }

    @Override
    public boolean exists(String groupId) {
        return session.execute(group.bind(groupId)).one() != null;
    }

    @Override
    public boolean isMember(String groupId, String userId) {
        return session.execute(member.bind(groupId, userId)).one() != null;
    }

    @Override
    public Optional<GroupMemberChanged.Role> role(String groupId, String userId) {
        Row row = session.execute(member.bind(groupId, userId)).one();
        return row == null ? Optional.empty() : Optional.of(GroupMemberChanged.Role.of(row.getString(0)));
    }

    @Override
    public List<GroupMemberChanged.Member> members(String groupId) {
        List<GroupMemberChanged.Member> found = new ArrayList<>();
        for (Row row : session.execute(members.bind(groupId).setPageSize(CassandraMembers.PAGE))) {
            found.add(new GroupMemberChanged.Member(row.getString(0), GroupMemberChanged.Role.of(row.getString(1))));
        }
        return found;
    }

    @Override
    public List<GroupInvitation> invitations(String userId) {
        List<GroupInvitation> found = new ArrayList<>();
        for (Row row : session.execute(invited.bind(userId))) {
            found.add(new GroupInvitation(row.getString(0), row.getString(1), row.getString(2), row.getInstant(3)));
        }
        found.sort(Comparator.comparing(GroupInvitation::since, Comparator.nullsLast(Comparator.reverseOrder())));
        return found;
    }
}
