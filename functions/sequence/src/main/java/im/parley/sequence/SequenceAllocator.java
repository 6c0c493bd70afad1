package im.parley.sequence;

import java.util.OptionalLong;

/**
 * Gives a message the next seq of its conversation, or its earlier seq if its clientMsgId was seen before.
 * Redis answers the common case; Cassandra is the truth. Each seq is recorded durably before it is
 * returned, so after a Redis flush or failover the counter restarts from the durable high-water mark and no
 * seq is ever given twice. One caller per conversation at a time (ordered delivery per partition) is assumed.
 */
public final class SequenceAllocator {

    private final SeqCache cache;
    private final SeqLedger ledger;

    public SequenceAllocator(SeqCache cache, SeqLedger ledger) {
        this.cache = cache;
        this.ledger = ledger;
    }

    public Allocation allocate(String conversationId, String clientMsgId) {
        OptionalLong cached = cache.seen(conversationId, clientMsgId);
        if (cached.isPresent()) {
            // The first attempt may have failed between Redis and Cassandra: record again (idempotent) so the
            // seq is durable before anyone is told of it.
            ledger.record(conversationId, clientMsgId, cached.getAsLong());
            return new Allocation(cached.getAsLong(), true);
        }
        OptionalLong recorded = ledger.seqOf(conversationId, clientMsgId);
        if (recorded.isPresent()) {
            cache.remember(conversationId, clientMsgId, recorded.getAsLong());
            return new Allocation(recorded.getAsLong(), true);
        }
        OptionalLong next = cache.next(conversationId, clientMsgId);
        if (next.isEmpty()) {
            cache.seed(conversationId, ledger.highWaterMark(conversationId));
            next = cache.next(conversationId, clientMsgId);
            if (next.isEmpty()) {
                throw new IllegalStateException("seq counter of " + conversationId + " vanished right after seeding");
            }
        }
        ledger.record(conversationId, clientMsgId, next.getAsLong());
        return new Allocation(next.getAsLong(), false);
    }
}
