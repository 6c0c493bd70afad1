package im.parley.sequence;

import im.parley.eventing.message.MessageRejected.Reason;
import java.util.OptionalLong;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The fast side of sequencing (Redis): per conversation, the seq counter, recent clientMsgIds and who may post. One
 * {@link #next} answers the common case in one round trip; its other answers ask the caller for what only the
 * durable stores know, to be passed in the next call.
 *
 * <p>Every call is made in a {@link Turn}: one caller's sequencing of one message. The first {@link #next} of a turn
 * takes the conversation over, and from then on every call of an earlier turn fails with {@link TurnLost}. So an
 * attempt that outlived its timeout, or a replica that lost its partitions, cannot act on a conversation that a
 * newer attempt is sequencing.
 */
public interface SeqCache {

    /** One caller's sequencing of one message in a conversation: the fencing token of its calls. */
    final class Turn {
        private final String conversationId;
        private final String token = Long.toHexString(ThreadLocalRandom.current().nextLong());
        private boolean started;
        private boolean allocated;
        private String counter;

        public Turn(String conversationId) {
            this.conversationId = conversationId;
        }

        public String conversationId() {
            return conversationId;
        }

        public String token() {
            return token;
        }

        /** Whether this turn's next call takes the conversation over (its first) or must still hold it. */
        public boolean claims() {
            return !started;
        }

        /** Told by the cache once a call of this turn has gone through. */
        public void started() {
            started = true;
        }

        /** Whether this turn has handed out a seq since it took the conversation over (or last reseeded it). */
        public boolean allocated() {
            return allocated;
        }

        /** Told by the cache when a call of this turn hands out a seq ({@code true}) or reseeds ({@code false}). */
        public void allocated(boolean allocated) {
            this.allocated = allocated;
        }

        /** Which counter handed out this turn's last seq: for Redis, the server's run id; null if unknown. */
        public String counter() {
            return counter;
        }

        /** Told by the cache when a call of this turn hands out a seq. */
        public void counter(String counter) {
            this.counter = counter;
        }

        @Override
        public String toString() {
            return conversationId + "#" + token;
        }
    }

    /** A newer turn took the conversation over: this caller must stop, and its event is retried if it still matters. */
    final class TurnLost extends IllegalStateException {
        public TurnLost(Turn turn) {
            super("sequencing turn " + turn + " was taken over by a newer attempt");
        }
    }

    /** What one step of sequencing a message found. */
    sealed interface Step permits Duplicate, Allocated, Refused, RightUnknown, CounterMissing, Restarted {
    }

    /**
     * The clientMsgId already has this seq.
     *
     * @param current the counter as it stands handed it out: it has not been reseeded since, so no other clientMsgId
     *                can have been given the same seq, and the server has not restarted since without being up a
     *                lease ({@link Restarted}). Only then may the retry of an attempt that failed before storing it
     *                keep it; a seq taken back may be another message's now.
     */
    record Duplicate(long seq, boolean current) implements Step {
        public Duplicate(long seq) {
            this(seq, false);
        }
    }

    /**
     * The next seq, remembered for the clientMsgId.
     *
     * @param young   the counter was started (seeded from a mark above zero) less than the dedupe window ago, so a
     *                clientMsgId stored before that may be unknown here: the caller checks the durable ledger
     * @param follows the counter stood at the stored seq the caller named, and is the counter that handed it out: it
     *                has lost no writes since, so that seq is the stored mark, and this one is the mark + 1
     */
    record Allocated(long seq, boolean young, boolean follows) implements Step {
        public Allocated(long seq, boolean young) {
            this(seq, young, false);
        }
    }

    /** The sender may not post here. */
    record Refused(Reason reason) implements Step {
    }

    /** The sender's right is not cached: read it, and pass it with this generation. */
    record RightUnknown(String generation) implements Step {
    }

    /** The conversation has no counter (new, flushed or failed over): pass the durable high-water mark. */
    record CounterMissing() implements Step {
    }

    /**
     * The server started (or took over) less than a lease ago, and the conversation's counter was not since vouched
     * for by it: a seq an earlier server handed out just before it lost its writes may still be in an attempt that is
     * storing it, and nothing here knows. No seq is handed out until the server has been up a lease (decision 0058).
     *
     * @param upMillis how long the server has been up
     */
    record Restarted(long upMillis) implements Step {
    }

    /** A right read from the durable stores, and the generation it was read at: null reason means allowed. */
    record Fill(Reason refusal, String generation) {
    }

    /**
     * A seq this process handed out and then stored, and the counter that handed it out ({@link Turn#counter}).
     * Offered to {@link #next}: if the counter still stands there, the seq is the conversation's stored mark.
     */
    record Stored(long seq, String counter) {
    }

    /**
     * @param fill   the sender's right, when the last step was {@link RightUnknown}; else null
     * @param seed   the durable high-water mark, when the last step was {@link CounterMissing}; else empty
     * @param stored the seq this process last handed out in the conversation, if it stored it; else null
     */
    Step next(Turn turn, String clientMsgId, String userId, Fill fill, OptionalLong seed, Stored stored);

    /** {@link #next} with no stored seq to offer. */
    default Step next(Turn turn, String clientMsgId, String userId, Fill fill, OptionalLong seed) {
        return next(turn, clientMsgId, userId, fill, seed, null);
    }

    /** Remembers the seq a clientMsgId was found to have durably. */
    void remember(Turn turn, String clientMsgId, long seq);

    /**
     * The counter handed out a seq that is already stored: Redis lost writes it had acknowledged (a failover, an
     * AOF tail, an older snapshot). Restarts the counter at the stored mark, young, so that the next allocation
     * checks the durable ledger, and forgets the seq just given to the clientMsgId.
     */
    void reseed(Turn turn, String clientMsgId, long storedMark);

    /**
     * The retry of an attempt that failed before storing its seq keeps it: the seq counts as handed out now, for
     * {@link #quietMillis}, since this retry may still be storing it when another turn looks.
     */
    void retake(Turn turn, String clientMsgId);

    /** Forgets the seq a clientMsgId was given: it was never stored, and another message takes it. */
    void forget(Turn turn, String clientMsgId);

    /** Takes back seq, the last one handed out, given to a clientMsgId that turned out to have {@code original}. */
    void undo(Turn turn, String clientMsgId, long seq, long original);

    /**
     * How long ago, in milliseconds, a seq of the conversation was last handed out to another turn than this one
     * ({@link Long#MAX_VALUE} if none is known since the counter was seeded or reseeded). An attempt that got a seq
     * may still be storing it for as long as a Trigger's timeout: seqs are taken back only once this is longer.
     */
    long quietMillis(Turn turn);
}
