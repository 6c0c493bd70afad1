package im.parley.sequence;

import java.util.OptionalLong;

/** The fast side of sequencing (Redis): the counter of each conversation and recent clientMsgIds. */
public interface SeqCache {

    /** The seq already given to this clientMsgId, if the cache still knows it. */
    OptionalLong seen(String conversationId, String clientMsgId);

    /**
     * The next seq, remembered for this clientMsgId; empty when the cache has no counter for the conversation
     * (never used, flushed or failed over) and must be {@link #seed}ed first.
     */
    OptionalLong next(String conversationId, String clientMsgId);

    /** Starts the counter at the durable high-water mark, unless a counter exists already. */
    void seed(String conversationId, long highWaterMark);

    void remember(String conversationId, String clientMsgId, long seq);
}
