package im.parley.eventing.frame;

import java.util.List;

/** {@code receipts}: the read watermarks of a large group that moved in one window. */
public record ReceiptsFrame(String conversationId, ReceiptFrame.Kind kind, List<Reader> readers) implements FrameData {

    public record Reader(String userId, long seq) {
    }

    @Override
    public String t() {
        return "receipts";
    }
}
