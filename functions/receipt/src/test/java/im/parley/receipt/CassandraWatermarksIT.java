package im.parley.receipt;

import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.Row;
import im.parley.cassandra.MigratedKeyspace;
import im.parley.stack.CassandraServer;
import im.parley.stack.junit.LocalStack;
import org.junit.jupiter.api.Test;

@LocalStack
class CassandraWatermarksIT {

    @Test
    void watermarksOnlyMoveForwardAndTheyAreIndependent(CassandraServer cassandra) {
        try (CqlSession session = MigratedKeyspace.open(cassandra, "receipt_marks")) {
            CassandraWatermarks marks = new CassandraWatermarks(session);
            marks.raise("d:ann:ben", "ben", Watermarks.Kind.READ, 8);
            marks.raise("d:ann:ben", "ben", Watermarks.Kind.READ, 3);
            marks.raise("d:ann:ben", "ben", Watermarks.Kind.DELIVERED, 12);
            marks.raise("d:ann:ben", "ben", Watermarks.Kind.DELIVERED, 9);
            Row row = session.execute("SELECT read_seq, delivered_seq FROM read_state WHERE conversation_id = 'd:ann:ben'"
                    + " AND user_id = 'ben'").one();
            assertThat(row.getLong(0)).isEqualTo(8);
            assertThat(row.getLong(1)).isEqualTo(12);
            assertThat(marks.lastSeq("d:ann:ben")).isZero();
            session.execute("UPDATE conversation_state SET persisted_seq = 12 WHERE conversation_id = 'd:ann:ben'");
            assertThat(marks.lastSeq("d:ann:ben")).isEqualTo(12);
        }
    }
}
