package im.parley.sequence;

import im.parley.eventing.message.MessageRejected.Reason;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;

/**
 * Gives a message the next seq of its conversation, or its earlier seq if its clientMsgId was seen before, once its
 * sender may post there. Redis ({@link SeqCache}) answers the common case in one round trip. Beside it, the stored
 * mark is read from the durable ledger, and a new seq must be above it: Redis may have lost writes it acknowledged
 * (a failover, an AOF tail, an older snapshot), and no state it can be in may hand out a seq that is stored. The
 * durable stores are otherwise asked only for what Redis cannot know: a right not cached, a counter lost, and the
 * earlier seq of a resend or of a message first sequenced before the counter was restarted. One caller per
 * conversation at a time (ordered delivery per partition) is assumed, so the stored mark is that of every
 * earlier message.
 */
public final class SequenceAllocator {

    /** What became of a message. */
    public sealed interface Outcome permits Sequenced, Refused {
    }

    /** @param duplicate the clientMsgId had this seq already */
    public record Sequenced(long seq, boolean duplicate) implements Outcome {
    }

    public record Refused(Reason reason) implements Outcome {
    }

    private final SeqCache cache;
    private final SeqLedger ledger;
    private final PostingRights rights;

    public SequenceAllocator(SeqCache cache, SeqLedger ledger, PostingRights rights) {
        this.cache = cache;
        this.ledger = ledger;
        this.rights = rights;
    }

    /** @param resend the client says it sent this clientMsgId before */
    public Outcome sequence(String conversationId, String clientMsgId, String userId, boolean resend) {
        SeqCache.Fill fill = null;
        OptionalLong seed = OptionalLong.empty();
        boolean checkedDurably = false;
        CompletableFuture<Long> stored = ledger.storedMark(conversationId).toCompletableFuture();
        // At most: the right, then the seed, then a seq, then a reseed and the seq.
        for (int step = 0; step < 5; step++) {
            SeqCache.Step next = cache.next(conversationId, clientMsgId, userId, fill, seed);
            if (next instanceof SeqCache.Duplicate d) {
                return new Sequenced(d.seq(), true);
            }
            if (next instanceof SeqCache.Refused r) {
                return new Refused(r.reason());
            }
            if (next instanceof SeqCache.RightUnknown unknown) {
                fill = new SeqCache.Fill(rights.check(conversationId, userId).orElse(null), unknown.generation());
            } else if (next instanceof SeqCache.CounterMissing) {
                OptionalLong earlier = ledger.seqOf(conversationId, clientMsgId);
                if (earlier.isPresent()) {
                    cache.remember(conversationId, clientMsgId, earlier.getAsLong());
                    return new Sequenced(earlier.getAsLong(), true);
                }
                seed = OptionalLong.of(ledger.highWaterMark(conversationId));
                checkedDurably = true;
            } else if (next instanceof SeqCache.Allocated allocated) {
                long mark = stored.join();
                if (allocated.seq() <= mark) {
                    cache.reseed(conversationId, clientMsgId, mark);
                    continue;
                }
                if ((allocated.young() || resend) && !checkedDurably) {
                    OptionalLong earlier = ledger.seqOf(conversationId, clientMsgId);
                    if (earlier.isPresent() && earlier.getAsLong() != allocated.seq()) {
                        cache.undo(conversationId, clientMsgId, allocated.seq(), earlier.getAsLong());
                        return new Sequenced(earlier.getAsLong(), true);
                    }
                }
                return new Sequenced(allocated.seq(), false);
            }
        }
        throw new IllegalStateException("sequencing " + conversationId + "/" + clientMsgId + " did not settle");
    }
}
