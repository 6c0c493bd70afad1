package im.parley.messages;

import com.datastax.oss.driver.api.core.CqlSession;
import im.parley.cassandra.MessageBuckets;
import im.parley.cassandra.MigratedKeyspace;
import im.parley.eventing.message.Message;
import im.parley.stack.CassandraServer;
import im.parley.stack.junit.LocalStack;
import java.util.Locale;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The messages' contract against a real Cassandra, with rows as persist writes them. */
@LocalStack
class CassandraMessagesIT extends MessagesContract {

    static CqlSession session;
    static CassandraMessages messages;

    @BeforeAll
    static void start(CassandraServer cassandra) {
        session = MigratedKeyspace.open(cassandra, "messages_it");
        messages = new CassandraMessages(session);
    }

    @AfterAll
    static void stop() {
        if (session != null) {
            session.close();
        }
    }

    @Override
    protected Messages messages() {
        return messages;
    }

    @Override
    protected void store(Message m) {
        session.execute("INSERT INTO messages (conversation_id, bucket, server_seq, client_msg_id, sender_user, sender_device,"
                + " content_type, content, sent_at, refers_to, edited, recalled) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                m.conversationId(), MessageBuckets.of(m.serverSeq()), m.serverSeq(), m.clientMsgId(), m.sender().userId(),
                m.sender().deviceId(), m.contentType().name().toLowerCase(Locale.ROOT), m.content(), m.sentAt(),
                m.refersTo(), m.edited(), m.recalled());
    }
}
