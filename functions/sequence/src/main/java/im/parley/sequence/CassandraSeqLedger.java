package im.parley.sequence;

import com.datastax.oss.driver.api.core.ConsistencyLevel;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.AsyncResultSet;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import im.parley.cassandra.MessageBuckets;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The seq ledger in Cassandra, read from what persist stores: {@code message_ids} for a clientMsgId's seq, and the
 * high-water mark from {@code conversation_state.persisted_seq} (and {@code conversation_seq.last_seq}, where
 * earlier versions recorded it). A clientMsgId's seq counts only if the message stored under that seq is that
 * clientMsgId's (or none yet): an entry from a write that outlived its attempt must not hand it a seq another message
 * holds.
 */
public final class CassandraSeqLedger implements SeqLedger {

    private final CqlSession session;
    private final PreparedStatement seqOf;
    private final PreparedStatement persisted;
    private final PreparedStatement recorded;
    private final PreparedStatement holder;

    public CassandraSeqLedger(CqlSession session) {
        this.session = session;
        this.seqOf = session.prepare("SELECT server_seq FROM message_ids WHERE conversation_id = ? AND client_msg_id = ?");
        this.persisted = session.prepare("SELECT persisted_seq FROM conversation_state WHERE conversation_id = ?");
        this.recorded = session.prepare("SELECT last_seq FROM conversation_seq WHERE conversation_id = ?");
        this.holder = session.prepare("SELECT client_msg_id FROM messages WHERE conversation_id = ? AND bucket = ?"
                + " AND server_seq = ?");
    }

    @Override
    public OptionalLong seqOf(String conversationId, String clientMsgId) {
        Row row = session.execute(seqOf.bind(conversationId, clientMsgId).setConsistencyLevel(ConsistencyLevel.LOCAL_QUORUM)).one();
        if (row == null) {
            return OptionalLong.empty();
        }
        long seq = row.getLong(0);
        Row message = session.execute(holder.bind(conversationId, MessageBuckets.of(seq), seq)
                .setConsistencyLevel(ConsistencyLevel.LOCAL_QUORUM)).one();
        // No row under the seq: the clientMsgId's own batch half applied, and its retry completes it.
        return message == null || clientMsgId.equals(message.getString(0)) ? OptionalLong.of(seq) : OptionalLong.empty();
    }

    @Override
    public long highWaterMark(String conversationId) {
        CompletableFuture<Long> a = mark(session.executeAsync(persisted.bind(conversationId)
                .setConsistencyLevel(ConsistencyLevel.LOCAL_QUORUM)));
        CompletableFuture<Long> b = mark(session.executeAsync(recorded.bind(conversationId)
                .setConsistencyLevel(ConsistencyLevel.LOCAL_QUORUM)));
        return Math.max(a.join(), b.join());
    }

    @Override
    public CompletionStage<Long> storedMark(String conversationId) {
        return mark(session.executeAsync(persisted.bind(conversationId).setConsistencyLevel(ConsistencyLevel.LOCAL_QUORUM)));
    }

    private static CompletableFuture<Long> mark(CompletionStage<AsyncResultSet> read) {
        return read.thenApply(rs -> {
            Row row = rs.one();
            return row == null || row.isNull(0) ? 0L : row.getLong(0);
        }).toCompletableFuture();
    }
}
