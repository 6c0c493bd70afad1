package im.parley.sequence;

import im.parley.eventing.message.MessageRejected.Reason;
import im.parley.messages.RecentSeqs;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;

/**
 * Gives a message the next seq of its conversation, or its earlier seq if its clientMsgId was seen before, once its
 * sender may post there. Redis ({@link SeqCache}) answers the common case in one round trip. A new seq must be the
 * stored mark + 1: Redis may have lost writes it acknowledged (a failover, an AOF tail, an older snapshot), and no
 * state it can be in may hand out a seq that is stored; nor may a seq given to a message whose attempts all failed
 * stay a gap, or be delivered after later ones. The mark is the seq this process last handed out and then stored
 * ({@link RecentSeqs}) when the counter still stands there and lost nothing since; else it is read from the durable
 * ledger, beside the Redis call.
 * A clientMsgId keeps its seq only while that seq is stored for it, or is the next one and was handed out since the
 * counter was last reseeded (decision 0057). The durable stores are otherwise asked only for what Redis cannot know:
 * a right not cached, a counter lost, and the earlier seq of a resend or of a message first sequenced before the
 * counter was restarted. Ordered delivery per partition gives one caller per conversation at a time, nearly always:
 * a replica that lost its partitions, or an attempt past its timeout, may still be at work beside the next. The next
 * one's {@link SeqCache.Turn} fences it off in Redis, and a seq it got (or took up again) is taken back only after
 * {@link #LEASE}, once it can no longer be stored, so no seq is ever stored for two messages. For the same reason a
 * restarted Redis, which may have lost the last seqs it handed out, hands out none for a lease
 * ({@link SeqCache.Restarted}).
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

    /**
     * A seq may have been handed out too recently to be handed out again: an attempt that got it may still store it
     * (a replica that lost its partitions, an attempt past its timeout, or one whose seq Redis lost in a restart). The
     * event is retried, and by then the seq is stored or its attempt can no longer store it.
     */
    public static final class Pending extends IllegalStateException {
        private Pending(String message) {
            super(message);
        }

        static Pending handedOut(String conversationId, long quietMillis) {
            return new Pending("seqs of " + conversationId + " handed out " + quietMillis + " ms ago are not stored yet;"
                    + " they are taken back only " + LEASE.toMillis() + " ms after");
        }

        static Pending restarted(String conversationId, long upMillis) {
            return new Pending("the seq cache restarted " + upMillis + " ms ago: seqs of " + conversationId
                    + " that its earlier run handed out may not be stored yet");
        }
    }

    /**
     * How long an attempt that got a seq may still store it: the Triggers' 10 s timeout (an attempt's budget and its
     * last store request), and a margin for the clocks of the function and Redis running at different rates.
     */
    public static final Duration LEASE = Duration.ofSeconds(12);

    private final SeqCache cache;
    private final SeqLedger ledger;
    private final PostingRights rights;
    private final RecentSeqs recent;

    /** @param recent what persist stored in this process; shared with it when the two are composed */
    public SequenceAllocator(SeqCache cache, SeqLedger ledger, PostingRights rights, RecentSeqs recent) {
        this.cache = cache;
        this.ledger = ledger;
        this.rights = rights;
        this.recent = recent;
    }

    /**
     * @param resend the client says it sent this clientMsgId before, or the event is old enough for Redis to have
     *               forgotten it: the ledger is asked before a new seq is given
     */
    public Outcome sequence(String conversationId, String clientMsgId, String userId, boolean resend) {
        SeqCache.Fill fill = null;
        OptionalLong seed = OptionalLong.empty();
        boolean checkedDurably = false;
        SeqCache.Turn turn = new SeqCache.Turn(conversationId);
        SeqCache.Stored offered = recent.handedOutAndStored(conversationId)
                .map(h -> new SeqCache.Stored(h.seq(), h.counter())).orElse(null);
        // Without a seq to offer, the mark is needed: its read overlaps the Redis call.
        StoredMark stored = new StoredMark(turn, offered == null);
        // At most: a seq forgotten, the right, the seed, a seq, a reseed and the seq, each step once more after the
        // mark is read again.
        for (int step = 0; step < 12; step++) {
            SeqCache.Step next = cache.next(turn, clientMsgId, userId, fill, seed, offered);
            if (next instanceof SeqCache.Duplicate d) {
                long mark = stored.below(d.seq());
                if (d.seq() == mark + 1 && d.current()) {
                    // The retry of an attempt that failed before storing it, unless that attempt gave a new seq to a
                    // message stored before (its seq lost with Redis) and failed before it could look: the ledger says.
                    OptionalLong earlier = checkedDurably ? OptionalLong.empty() : ledger.seqOf(conversationId, clientMsgId);
                    if (earlier.isPresent() && earlier.getAsLong() != d.seq()) {
                        cache.undo(turn, clientMsgId, d.seq(), earlier.getAsLong());
                        return new Sequenced(earlier.getAsLong(), true);
                    }
                    cache.retake(turn, clientMsgId);
                    return new Sequenced(d.seq(), true);
                }
                if (d.seq() <= mark) {
                    OptionalLong earlier = ledger.seqOf(conversationId, clientMsgId);
                    if (earlier.isPresent()) {
                        if (earlier.getAsLong() != d.seq()) {
                            cache.remember(turn, clientMsgId, earlier.getAsLong());
                        }
                        return new Sequenced(earlier.getAsLong(), true);
                    }
                    checkedDurably = true;
                }
                // Its seq was never stored, and is (or will be) another message's: this one gets a new seq. So does
                // mark + 1 given out before the counter was reseeded: it may have gone to another message since.
                cache.forget(turn, clientMsgId);
                continue;
            }
            if (next instanceof SeqCache.Refused r) {
                return new Refused(r.reason());
            }
            if (next instanceof SeqCache.Restarted r) {
                throw Pending.restarted(conversationId, r.upMillis());
            }
            if (next instanceof SeqCache.RightUnknown unknown) {
                fill = new SeqCache.Fill(rights.check(conversationId, userId).orElse(null), unknown.generation());
            } else if (next instanceof SeqCache.CounterMissing) {
                OptionalLong earlier = ledger.seqOf(conversationId, clientMsgId);
                if (earlier.isPresent()) {
                    cache.remember(turn, clientMsgId, earlier.getAsLong());
                    return new Sequenced(earlier.getAsLong(), true);
                }
                seed = OptionalLong.of(ledger.highWaterMark(conversationId));
                checkedDurably = true;
            } else if (next instanceof SeqCache.Allocated allocated) {
                long mark = allocated.follows() ? allocated.seq() - 1 : stored.below(allocated.seq());
                if (allocated.seq() != mark + 1) {
                    // Below or at the mark: Redis lost writes. Above mark + 1: seqs given to messages whose attempts
                    // failed and were never stored; they are taken back, so a conversation has no gaps and its
                    // messages are delivered in seq order.
                    cache.reseed(turn, clientMsgId, mark);
                    continue;
                }
                if ((allocated.young() || resend) && !checkedDurably) {
                    OptionalLong earlier = ledger.seqOf(conversationId, clientMsgId);
                    if (earlier.isPresent() && earlier.getAsLong() != allocated.seq()) {
                        cache.undo(turn, clientMsgId, allocated.seq(), earlier.getAsLong());
                        return new Sequenced(earlier.getAsLong(), true);
                    }
                }
                if (turn.counter() != null) {
                    recent.handedOut(conversationId, allocated.seq(), turn.counter());
                }
                return new Sequenced(allocated.seq(), false);
            }
        }
        throw new IllegalStateException("sequencing " + conversationId + "/" + clientMsgId + " did not settle");
    }

    /**
     * The conversation's stored mark, read as the turn begins, or when first needed. Seqs above it, not this turn's,
     * are taken back or given up only once no attempt that got one can still store it, and against the mark read
     * again after that, which then has every one that was stored: the first read may have missed a write still under
     * way.
     */
    private final class StoredMark {
        private final SeqCache.Turn turn;
        private CompletableFuture<Long> read;
        private boolean settled;

        StoredMark(SeqCache.Turn turn, boolean now) {
            this.turn = turn;
            this.read = now ? ledger.storedMark(turn.conversationId()).toCompletableFuture() : null;
        }

        /** The mark to judge {@code seq} by: the one read first, unless seq is above mark + 1. */
        long below(long seq) {
            if (read == null) {
                read = ledger.storedMark(turn.conversationId()).toCompletableFuture();
            }
            long mark = read.join();
            if (seq > mark + 1 && !settled) {
                long quiet = cache.quietMillis(turn);
                if (quiet < LEASE.toMillis()) {
                    throw Pending.handedOut(turn.conversationId(), quiet);
                }
                read = ledger.storedMark(turn.conversationId()).toCompletableFuture();
                settled = true;
                mark = read.join();
            }
            return mark;
        }
    }
}
