package im.parley.receipt;

import java.util.Map;

/** Read watermarks of a large group gathered between two batched notifications. */
public interface ReceiptBatches {

    /** Remembers that the user read the conversation up to seq (the highest seq wins), to be told after a window. */
    void add(String conversationId, String userId, long seq);

    /** What was gathered for the conversation (user to seq), left in place until {@link #told}. */
    Map<String, Long> gathered(String conversationId);

    /** Forgets what was told, but not a member's newer read gathered since. */
    void told(String conversationId, Map<String, Long> told);
}
