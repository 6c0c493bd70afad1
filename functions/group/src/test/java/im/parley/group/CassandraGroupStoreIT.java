package im.parley.group;

import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.driver.api.core.CqlSession;
import im.parley.cassandra.MigratedKeyspace;
import im.parley.eventing.group.GroupMembersRequested;
import im.parley.stack.CassandraServer;
import im.parley.stack.junit.LocalStack;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The group store's contract against a real Cassandra, and the rows other functions read beside it. */
@LocalStack
class CassandraGroupStoreIT extends GroupStoreContract {

    static CqlSession session;
    static CassandraGroupStore store;

    @BeforeAll
    static void start(CassandraServer cassandra) {
        session = MigratedKeyspace.open(cassandra, "group_store");
        store = new CassandraGroupStore(session);
    }

    @AfterAll
    static void stop() {
        if (session != null) {
            session.close();
        }
    }

    @Override
    GroupStore store() {
        return store;
    }

    /** Sync and the message path read a member's conversations, and sync a user's invitations, from these rows. */
    @Test
    void membersConversationsAndInvitationsFollowTheChanges() {
        String g = group();
        GroupState created = created(g, List.of("ben", "cat"));
        store.apply(created.lastChange());
        assertThat(session.execute("SELECT conversation_id FROM user_conversations WHERE user_id = 'cat'"
                + " AND conversation_id = ?", "g:" + g).one()).isNotNull();
        GroupState removed = rules.leave(store.load(g).orElseThrow(), "ann", new GroupMembersRequested(g, List.of("cat")),
                "e2");
        store.record(removed);
        store.apply(removed.lastChange());
        assertThat(session.execute("SELECT conversation_id FROM user_conversations WHERE user_id = 'cat'"
                + " AND conversation_id = ?", "g:" + g).one()).isNull();

        store.invite(g, "Crew", "ann", List.of("yan"));
        assertThat(session.execute("SELECT group_name, inviter FROM group_invitations WHERE user_id = 'yan'"
                + " AND group_id = ?", g).one()).isNotNull();
        store.decline(g, "yan");
        assertThat(session.execute("SELECT group_name, inviter FROM group_invitations WHERE user_id = 'yan'"
                + " AND group_id = ?", g).one()).isNull();
    }
}
