package im.parley.sequence;

import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** The durable ledger in memory: what persist has stored, for the allocator's unit tests. */
final class InMemorySeqLedger implements SeqLedger {

    final Map<String, Long> ids = new HashMap<>();
    /** conversation/seq to the clientMsgId of the message stored under it. */
    final Map<String, String> holders = new HashMap<>();
    final Map<String, Long> marks = new HashMap<>();
    final Map<String, Long> earlierMarks = new HashMap<>();
    int reads;
    int markReads;
    /** Answers the next read of the stored mark instead, once: a read that comes back late. */
    volatile CompletableFuture<Long> nextMarkRead;
    /** The next seqOf fails, as a read timing out does. */
    boolean failNextSeqOf;

    /** What persist does once the message is stored. */
    void stored(String conversationId, String clientMsgId, long seq) {
        ids.put(conversationId + "/" + clientMsgId, seq);
        holders.put(conversationId + "/" + seq, clientMsgId);
        marks.merge(conversationId, seq, Math::max);
    }

    /** A clientMsgId's seq written alone: a write that outlived its attempt, or the first half of a batch. */
    void idOnly(String conversationId, String clientMsgId, long seq) {
        ids.put(conversationId + "/" + clientMsgId, seq);
    }

    /** A high-water mark where earlier versions recorded it. */
    void recordedByAnEarlierVersion(String conversationId, long seq) {
        earlierMarks.merge(conversationId, seq, Math::max);
    }

    @Override
    public OptionalLong seqOf(String conversationId, String clientMsgId) {
        reads++;
        if (failNextSeqOf) {
            failNextSeqOf = false;
            throw new IllegalStateException("Cassandra read timed out");
        }
        Long seq = ids.get(conversationId + "/" + clientMsgId);
        if (seq == null) {
            return OptionalLong.empty();
        }
        String holder = holders.get(conversationId + "/" + seq);
        return holder == null || holder.equals(clientMsgId) ? OptionalLong.of(seq) : OptionalLong.empty();
    }

    @Override
    public long highWaterMark(String conversationId) {
        reads++;
        return Math.max(marks.getOrDefault(conversationId, 0L), earlierMarks.getOrDefault(conversationId, 0L));
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
