package im.parley.eventing.frame;

/** {@code ack}: the sender's message is stored under {@code serverSeq}. */
public record AckFrame(String clientMsgId, String conversationId, long serverSeq) implements FrameData {

    @Override
    public String t() {
        return "ack";
    }
}
