package im.parley.sequence;

import java.util.OptionalLong;
import java.util.concurrent.CompletionStage;

/**
 * The durable side of sequencing (Cassandra), as persist writes it: the seq of every stored clientMsgId, and each
 * conversation's high-water mark. A seq is used (delivered, acked) only once its message is stored, so these are
 * never behind a seq anyone was told of.
 */
public interface SeqLedger {

    OptionalLong seqOf(String conversationId, String clientMsgId);

    /** The highest seq stored in the conversation, 0 if none, with marks recorded by earlier versions. */
    long highWaterMark(String conversationId);

    /**
     * The highest seq persist has stored in the conversation, 0 if none: the fence every new seq must be above,
     * read beside each allocation, whatever Redis says.
     */
    CompletionStage<Long> storedMark(String conversationId);
}
