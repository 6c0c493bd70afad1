package im.parley.sequence;

import im.parley.eventing.message.MessageRejected.Reason;
import java.util.OptionalLong;

/**
 * The fast side of sequencing (Redis): per conversation, the seq counter, recent clientMsgIds and who may post. One
 * {@link #next} answers the common case in one round trip; its other answers ask the caller for what only the
 * durable stores know, to be passed in the next call.
 */
public interface SeqCache {

    /** What one step of sequencing a message found. */
    sealed interface Step permits Duplicate, Allocated, Refused, RightUnknown, CounterMissing {
    }

    /** The clientMsgId already has this seq. */
    record Duplicate(long seq) implements Step {
    }

    /**
     * The next seq, remembered for the clientMsgId.
     *
     * @param young the counter was started (seeded from a mark above zero) less than the dedupe window ago, so a
     *              clientMsgId stored before that may be unknown here: the caller checks the durable ledger
     */
    record Allocated(long seq, boolean young) implements Step {
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

    /** A right read from the durable stores, and the generation it was read at: null reason means allowed. */
    record Fill(Reason refusal, String generation) {
    }

    /**
     * @param fill the sender's right, when the last step was {@link RightUnknown}; else null
     * @param seed the durable high-water mark, when the last step was {@link CounterMissing}; else empty
     */
    Step next(String conversationId, String clientMsgId, String userId, Fill fill, OptionalLong seed);

    /** Remembers the seq a clientMsgId was found to have durably. */
    void remember(String conversationId, String clientMsgId, long seq);

    /**
     * The counter handed out a seq that is already stored: Redis lost writes it had acknowledged (a failover, an
     * AOF tail, an older snapshot). Restarts the counter at the stored mark, young, so that the next allocation
     * checks the durable ledger, and forgets the seq just given to the clientMsgId.
     */
    void reseed(String conversationId, String clientMsgId, long storedMark);

    /** Forgets the seq a clientMsgId was given: it was never stored, and another message takes it. */
    void forget(String conversationId, String clientMsgId);

    /** Takes back seq, the last one handed out, given to a clientMsgId that turned out to have {@code original}. */
    void undo(String conversationId, String clientMsgId, long seq, long original);
}
