package im.parley.sync;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import im.parley.cassandra.MessageBuckets;
import im.parley.cassandra.MigratedKeyspace;
import im.parley.eventing.message.Message;
import im.parley.stack.CassandraServer;
import im.parley.stack.junit.LocalStack;
import java.util.Locale;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** History's contract over the tables as persist and receipt write them, in seq buckets, in a real Cassandra. */
@LocalStack
class CassandraHistoryIT extends HistoryContract {

    static CqlSession session;
    static CassandraHistory history;
    static PreparedStatement insert;

    @BeforeAll
    static void start(CassandraServer cassandra) {
        session = MigratedKeyspace.open(cassandra, "sync_history");
        history = new CassandraHistory(session);
        insert = session.prepare("INSERT INTO messages (conversation_id, bucket, server_seq, client_msg_id, sender_user,"
                + " sender_device, content_type, content, sent_at, refers_to, edited, recalled)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    }

    @AfterAll
    static void stop() {
        if (session != null) {
            session.close();
        }
    }

    @Override
    History history() {
        return history;
    }

    @Override
    void stored(Message m) {
        session.execute(insert.bind(m.conversationId(), MessageBuckets.of(m.serverSeq()), m.serverSeq(), m.clientMsgId(),
                m.sender().userId(), m.sender().deviceId(), m.contentType().name().toLowerCase(Locale.ROOT), m.content(),
                m.sentAt(), m.refersTo(), Boolean.TRUE.equals(m.edited()), m.isRecalled()));
        session.execute("UPDATE conversation_state USING TIMESTAMP ? SET persisted_seq = ? WHERE conversation_id = ?",
                m.serverSeq(), m.serverSeq(), m.conversationId());
    }

    @Override
    void joined(String userId, String conversationId) {
        session.execute("INSERT INTO user_conversations (user_id, conversation_id) VALUES (?, ?)", userId, conversationId);
    }

    @Override
    void marks(String conversationId, String userId, long read, long delivered) {
        session.execute("INSERT INTO read_state (conversation_id, user_id, read_seq, delivered_seq) VALUES (?, ?, ?, ?)",
                conversationId, userId, read, delivered);
    }
}
