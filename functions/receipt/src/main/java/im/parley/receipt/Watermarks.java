package im.parley.receipt;

/** Per-member watermarks of a conversation. Moving one back is a no-op, so replays and races are harmless. */
public interface Watermarks {

    enum Kind { DELIVERED, READ }

    void raise(String conversationId, String userId, Kind kind, long seq);

    /** The last stored seq of the conversation: no watermark may pass it. */
    long lastSeq(String conversationId);
}
