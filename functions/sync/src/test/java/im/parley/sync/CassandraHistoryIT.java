package im.parley.sync;

import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.driver.api.core.CqlSession;
import im.parley.cassandra.CassandraSessions;
import im.parley.cassandra.CassandraSettings;
import im.parley.cassandra.CqlMigrations;
import im.parley.eventing.message.Message;
import im.parley.stack.CassandraServer;
import im.parley.stack.junit.LocalStack;
import java.util.stream.LongStream;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** History over the tables as persist writes them, across seq buckets. */
@LocalStack
class CassandraHistoryIT {

    static CqlSession session;
    static CassandraHistory history;

    @BeforeAll
    static void start(CassandraServer cassandra) {
        CassandraSettings settings = new CassandraSettings(cassandra.host(), cassandra.port(), cassandra.localDatacenter(),
                "sync_history", CassandraSettings.LOCAL_REPLICATION);
        try (CqlSession admin = CassandraSessions.connect(settings)) {
            CqlMigrations.apply(admin, settings);
        }
        session = CassandraSessions.connectToKeyspace(settings);
        history = new CassandraHistory(session);
        var insert = session.prepare("INSERT INTO messages (conversation_id, bucket, server_seq, client_msg_id, sender_user,"
                + " sender_device, content_type, content, sent_at) VALUES ('d:ann:ben', ?, ?, ?, 'ann', 'phone', 'text', ?,"
                + " toTimestamp(now()))");
        LongStream.rangeClosed(990, 1010).forEach(seq -> session.execute(insert.bind(seq / 1000, seq, "c" + seq, "m" + seq)));
        session.execute("UPDATE conversation_state SET persisted_seq = 1010 WHERE conversation_id = 'd:ann:ben'");
        session.execute("INSERT INTO user_conversations (user_id, conversation_id) VALUES ('ann', 'd:ann:ben')");
        session.execute("INSERT INTO read_state (conversation_id, user_id, read_seq, delivered_seq) VALUES ('d:ann:ben', 'ann', 1000, 1005)");
    }

    @AfterAll
    static void stop() {
        if (session != null) {
            session.close();
        }
    }

    @Test
    void pagesCrossBucketBoundariesInSeqOrder() {
        assertThat(history.after("d:ann:ben", 995, 10)).extracting(Message::serverSeq)
                .containsExactly(996L, 997L, 998L, 999L, 1000L, 1001L, 1002L, 1003L, 1004L, 1005L);
        assertThat(history.after("d:ann:ben", 1008, 10)).extracting(Message::serverSeq).containsExactly(1009L, 1010L);
        assertThat(history.after("d:ann:ben", 1010, 10)).isEmpty();
    }

    @Test
    void pagesOfSeveralConversationsAreReadAtOnceAcrossBucketsAndCappedAtTheirLimits() {
        assertThat(history.lastSeqs(List.of("d:ann:ben", "d:ann:nobody"))).containsExactly(1010L, 0L);
        List<List<Message>> pages = history.pages(List.of(new History.Range("d:ann:ben", 995, 1010, 10),
                new History.Range("d:ann:ben", 0, 1010, 3), new History.Range("d:ann:ben", 1008, 1010, 2),
                new History.Range("d:ann:nobody", 0, 0, 5)));
        assertThat(pages.get(0)).extracting(Message::serverSeq)
                .containsExactly(996L, 997L, 998L, 999L, 1000L, 1001L, 1002L, 1003L, 1004L, 1005L);
        assertThat(pages.get(1)).as("seqs 1 to 989 are not there").extracting(Message::serverSeq).containsExactly(990L, 991L, 992L);
        assertThat(pages.get(2)).extracting(Message::serverSeq).containsExactly(1009L, 1010L);
        assertThat(pages.get(3)).isEmpty();
    }

    @Test
    void listsAndMarks() {
        assertThat(history.lastSeq("d:ann:ben")).isEqualTo(1010);
        assertThat(history.lastSeq("d:nobody:else")).isZero();
        assertThat(history.conversationsOf("ann")).containsExactly("d:ann:ben");
        assertThat(history.readAndDelivered("d:ann:ben", "ann")).containsExactly(1000, 1005);
        assertThat(history.readAndDelivered("d:ann:ben", "ben")).containsExactly(0, 0);
    }
}
