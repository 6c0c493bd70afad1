package im.parley.membership;

import com.datastax.oss.driver.api.core.CqlSession;
import im.parley.cassandra.MigratedKeyspace;
import im.parley.eventing.group.GroupInvitation;
import im.parley.stack.CassandraServer;
import im.parley.stack.junit.LocalStack;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The groups' contract against a real Cassandra, with rows as the group function writes them. */
@LocalStack
class CassandraGroupsIT extends GroupsContract {

    static CqlSession session;
    static CassandraGroups groups;

    @BeforeAll
    static void start(CassandraServer cassandra) {
        session = MigratedKeyspace.open(cassandra, "groups_it");
        groups = new CassandraGroups(session);
    }

    @AfterAll
    static void stop() {
        if (session != null) {
            session.close();
        }
    }

    @Override
    protected Groups groups() {
        return groups;
    }

    @Override
    protected void create(String groupId, String... members) {
        session.execute("INSERT INTO groups (group_id, name, owner) VALUES (?, ?, ?)", groupId, groupId, members[0]);
        for (String user : members) {
            session.execute("INSERT INTO group_members (group_id, user_id, role) VALUES (?, ?, ?)", groupId, user,
                    user.equals(members[0]) ? "owner" : "member");
        }
    }

    @Override
    protected void invite(String userId, GroupInvitation invitation) {
        session.execute("INSERT INTO group_invitations (user_id, group_id, inviter, group_name, invited_at) "
                + "VALUES (?, ?, ?, ?, ?)", userId, invitation.groupId(), invitation.actor(), invitation.name(),
                invitation.since());
    }
}
