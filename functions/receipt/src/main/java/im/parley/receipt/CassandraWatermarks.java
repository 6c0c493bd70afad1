package im.parley.receipt;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;

/**
 * Watermarks in {@code read_state}, written with the seq as the write timestamp: Cassandra keeps the cell with
 * the highest timestamp, so a lower seq arriving late never moves a watermark back, with no read before write.
 */
public final class CassandraWatermarks implements Watermarks {

    private final CqlSession session;
    private final PreparedStatement delivered;
    private final PreparedStatement read;
    private final PreparedStatement last;

    public CassandraWatermarks(CqlSession session) {
        this.session = session;
        this.delivered = session.prepare("UPDATE read_state USING TIMESTAMP ? SET delivered_seq = ?"
                + " WHERE conversation_id = ? AND user_id = ?");
        this.read = session.prepare("UPDATE read_state USING TIMESTAMP ? SET read_seq = ? WHERE conversation_id = ? AND user_id = ?");
        this.last = session.prepare("SELECT persisted_seq FROM conversation_state WHERE conversation_id = ?");
    }

    @Override
    public void raise(String conversationId, String userId, Kind kind, long seq) {
        session.execute((kind == Kind.READ ? read : delivered).bind(seq, seq, conversationId, userId));
    }

    @Override
    public long lastSeq(String conversationId) {
        Row row = session.execute(last.bind(conversationId)).one();
        return row == null || row.isNull(0) ? 0 : row.getLong(0);
    }
}
