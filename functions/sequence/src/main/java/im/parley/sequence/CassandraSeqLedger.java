package im.parley.sequence;

import com.datastax.oss.driver.api.core.ConsistencyLevel;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.BatchStatement;
import com.datastax.oss.driver.api.core.cql.BatchType;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import java.util.OptionalLong;

/** The seq ledger in Cassandra: {@code message_ids} and {@code conversation_seq}, written together. */
public final class CassandraSeqLedger implements SeqLedger {

    private final CqlSession session;
    private final PreparedStatement seqOf;
    private final PreparedStatement highWaterMark;
    private final PreparedStatement insertId;
    private final PreparedStatement raise;

    public CassandraSeqLedger(CqlSession session) {
        this.session = session;
        this.seqOf = session.prepare("SELECT server_seq FROM message_ids WHERE conversation_id = ? AND client_msg_id = ?");
        this.highWaterMark = session.prepare("SELECT last_seq FROM conversation_seq WHERE conversation_id = ?");
        this.insertId = session.prepare("INSERT INTO message_ids (conversation_id, client_msg_id, server_seq) VALUES (?, ?, ?)");
        // The seq is the write timestamp: recording an older seq again can never lower the mark.
        this.raise = session.prepare("UPDATE conversation_seq USING TIMESTAMP ? SET last_seq = ? WHERE conversation_id = ?");
    }

    @Override
    public OptionalLong seqOf(String conversationId, String clientMsgId) {
        Row row = session.execute(seqOf.bind(conversationId, clientMsgId).setConsistencyLevel(ConsistencyLevel.LOCAL_QUORUM)).one();
        return row == null ? OptionalLong.empty() : OptionalLong.of(row.getLong(0));
    }

    @Override
    public long highWaterMark(String conversationId) {
        Row row = session.execute(highWaterMark.bind(conversationId).setConsistencyLevel(ConsistencyLevel.LOCAL_QUORUM)).one();
        return row == null || row.isNull(0) ? 0 : row.getLong(0);
    }

    @Override
    public void record(String conversationId, String clientMsgId, long seq) {
        // A logged batch: the id and the high-water mark land together, or a retry writes both again.
        session.execute(BatchStatement.newInstance(BatchType.LOGGED,
                        insertId.bind(conversationId, clientMsgId, seq), raise.bind(seq, seq, conversationId))
                .setConsistencyLevel(ConsistencyLevel.LOCAL_QUORUM));
    }
}
