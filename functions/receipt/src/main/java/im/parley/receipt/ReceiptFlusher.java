package im.parley.receipt;

import im.parley.delivery.Deliveries;
import im.parley.eventing.frame.ReceiptFrame;
import im.parley.eventing.frame.ReceiptsFrame;
import im.parley.membership.Members;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Tells a large group, in one {@code receipts} frame, every read watermark that moved since the last one: at most
 * one notification per group per window, however many members read, one batch per node.
 */
public final class ReceiptFlusher implements Consumer<String> {

    private final ReceiptBatches batches;
    private final Members members;
    private final Deliveries deliveries;

    public ReceiptFlusher(ReceiptBatches batches, Members members, Deliveries deliveries) {
        this.batches = batches;
        this.members = members;
        this.deliveries = deliveries;
    }

    /**
     * The batch is forgotten only once it was sent: a failure loses nothing, the sweeper tries again, and a member
     * may then be told a watermark twice, which a watermark allows.
     */
    @Override
    public void accept(String conversationId) {
        Map<String, Long> moved = batches.gathered(conversationId);
        if (moved.isEmpty()) {
            return;
        }
        List<ReceiptsFrame.Reader> readers = new ArrayList<>();
        moved.forEach((user, seq) -> readers.add(new ReceiptsFrame.Reader(user, seq)));
        deliveries.toUsers(members.of(conversationId), null, new ReceiptsFrame(conversationId, ReceiptFrame.Kind.READ, readers));
        batches.told(conversationId, moved);
    }
}
