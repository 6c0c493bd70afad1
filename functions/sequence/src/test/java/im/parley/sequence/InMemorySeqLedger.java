package im.parley.sequence;

import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** The durable ledger in memory: what persist has stored, for the allocator's unit tests. */
final class InMemorySeqLedger implements SeqLedger {

    final Map<String, Long> ids = new HashMap<>();
    final Map<String, Long> marks = new HashMap<>();
    int reads;
    int markReads;
    /** Answers the next read of the stored mark instead, once: a read that comes back late. */
    volatile CompletableFuture<Long> nextMarkRead;
    /** The next seqOf fails, as a read timing out does. */
    boolean failNextSeqOf;

    /** What persist does once the message is stored. */
    void stored(String conversationId, String clientMsgId, long seq) {
        ids.put(conversationId + "/" + clientMsgId, seq);
        marks.merge(conversationId, seq, Math::max);
    }

    @Override
    public OptionalLong seqOf(String conversationId, String clientMsgId) {
        reads++;
        if (failNextSeqOf) {
            failNextSeqOf = false;
            throw new IllegalStateException("Cassandra read timed out");
        }
        Long seq = ids.get(conversationId + "/" + clientMsgId);
        return seq == null ? OptionalLong.empty() : OptionalLong.of(seq);
    }

    @Override
    public long highWaterMark(String conversationId) {
        reads++;
        return marks.getOrDefault(conversationId, 0L);
    }

    @Override
    public CompletionStage<Long> storedMark(String conversationId) {
        markReads++;
        CompletableFuture<Long> late = nextMarkRead;
        if (late != null) {
            nextMarkRead = null;
            return late;
        }
        return CompletableFuture.completedFuture(marks.getOrDefault(conversationId, 0L));
    }
}
