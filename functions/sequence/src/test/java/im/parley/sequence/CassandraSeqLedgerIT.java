package im.parley.sequence;

import com.datastax.oss.driver.api.core.CqlSession;
import im.parley.cassandra.MigratedKeyspace;
import im.parley.stack.CassandraServer;
import im.parley.stack.junit.LocalStack;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The seq ledger's contract against a real Cassandra, written as persist writes it. */
@LocalStack
class CassandraSeqLedgerIT extends SeqLedgerContract {

    static CqlSession cassandra;
    static CassandraSeqLedger ledger;

    @BeforeAll
    static void start(CassandraServer server) {
        cassandra = MigratedKeyspace.open(server, "seq_ledger");
        ledger = new CassandraSeqLedger(cassandra);
    }

    @AfterAll
    static void stop() {
        if (cassandra != null) {
            cassandra.close();
        }
    }

    @Override
    SeqLedger ledger() {
        return ledger;
    }

    @Override
    void stored(String conversationId, String clientMsgId, long seq) {
        SequenceStoresIT.stored(cassandra, conversationId, clientMsgId, seq);
    }

    @Override
    void idOnly(String conversationId, String clientMsgId, long seq) {
        cassandra.execute("INSERT INTO message_ids (conversation_id, client_msg_id, server_seq) VALUES (?, ?, ?)",
                conversationId, clientMsgId, seq);
    }

    @Override
    void recordedByAnEarlierVersion(String conversationId, long seq) {
        cassandra.execute("INSERT INTO conversation_seq (conversation_id, last_seq) VALUES (?, ?)", conversationId, seq);
    }
}
