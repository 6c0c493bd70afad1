package im.parley.membership;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.BatchStatement;
import com.datastax.oss.driver.api.core.cql.BatchType;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import im.parley.cassandra.MigratedKeyspace;
import im.parley.stack.CassandraServer;
import im.parley.stack.junit.LocalStack;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Members against a real Cassandra: the pair of a 1:1 chat, a group larger than one page, and a group's list kept
 * while its header shows the same applied version.
 */
@LocalStack
class CassandraMembersIT {

    static final int LARGE = CassandraMembers.PAGE + 1;
    static CqlSession session;
    static CassandraMembers members;
    static PreparedStatement insert;
    static PreparedStatement header;

    @BeforeAll
    static void start(CassandraServer cassandra) {
        session = MigratedKeyspace.open(cassandra, "members_it");
        members = new CassandraMembers(session);
        header = session.prepare("UPDATE groups SET version = ?, last_applied = ? WHERE group_id = ?");
        insert = session.prepare("INSERT INTO group_members (group_id, user_id, role) VALUES (?, ?, 'member')");
        List<String> users = IntStream.range(0, LARGE).mapToObj(i -> "u" + i).toList();
        for (int from = 0; from < users.size(); from += 500) {
            BatchStatement batch = BatchStatement.newInstance(BatchType.UNLOGGED);
            for (String user : users.subList(from, Math.min(users.size(), from + 500))) {
                batch = batch.add(insert.bind("large", user));
            }
            session.execute(batch);
        }
        session.execute(insert.bind("small", "ann"));
        session.execute(insert.bind("small", "ben"));
    }

    @AfterAll
    static void stop() {
        session.close();
    }

    @Test
    void aDirectChatIsItsTwoUsersWithoutAnyRead() {
        assertThat(members.of("d:ann:ben")).containsExactly("ann", "ben");
    }

    @Test
    void aGroupIsItsRowsEvenBeyondOnePage() {
        assertThat(members.of("g:small")).containsExactlyInAnyOrder("ann", "ben");
        assertThat(members.of("g:large")).hasSize(LARGE).doesNotHaveDuplicates().contains("u0", "u" + (LARGE - 1));
        assertThat(members.of("g:nobody")).isEmpty();
    }

    @Test
    void aSettledGroupIsReadAgainOnlyOnceItsVersionMoves() {
        session.execute(insert.bind("kept", "ann"));
        session.execute(header.bind(1L, true, "kept"));
        assertThat(members.of("g:kept")).containsExactlyInAnyOrder("ann");

        // A row written behind the group function's back shows that the list is kept, not read again.
        session.execute(insert.bind("kept", "ben"));
        assertThat(members.of("g:kept")).containsExactlyInAnyOrder("ann");

        // A change as the group function writes it: the header first (not applied), the rows, then applied.
        session.execute(header.bind(2L, false, "kept"));
        session.execute(insert.bind("kept", "cid"));
        assertThat(members.of("g:kept")).containsExactlyInAnyOrder("ann", "ben", "cid");
        session.execute(header.bind(2L, true, "kept"));
        assertThat(members.of("g:kept")).containsExactlyInAnyOrder("ann", "ben", "cid");
    }

    @Test
    void aGroupWithAChangeUnderWayIsReadFromItsRowsEveryTime() {
        session.execute(insert.bind("moving", "ann"));
        session.execute(header.bind(1L, false, "moving"));
        assertThat(members.of("g:moving")).containsExactlyInAnyOrder("ann");
        session.execute(insert.bind("moving", "ben"));
        assertThat(members.of("g:moving")).containsExactlyInAnyOrder("ann", "ben");
    }

    @Test
    void somethingThatIsNoConversationIsRefused() {
        assertThatThrownBy(() -> members.of("x:what")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a conversation id");
    }
}
