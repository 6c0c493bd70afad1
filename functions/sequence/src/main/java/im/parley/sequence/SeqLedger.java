package im.parley.sequence;

import java.util.OptionalLong;

/** The durable side of sequencing (Cassandra): every seq given, and each conversation's high-water mark. */
public interface SeqLedger {

    OptionalLong seqOf(String conversationId, String clientMsgId);

    /** The highest seq ever given in the conversation, 0 if none. */
    long highWaterMark(String conversationId);

    /**
     * Records a seq and raises the high-water mark, both or neither. Recording again is harmless, and a lower
     * seq never lowers the mark.
     */
    void record(String conversationId, String clientMsgId, long seq);
}
