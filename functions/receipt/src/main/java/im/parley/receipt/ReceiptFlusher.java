package im.parley.receipt;

import im.parley.eventing.delivery.DeliveryBatch;
import im.parley.eventing.delivery.Frames;
import im.parley.eventing.frame.ReceiptFrame;
import im.parley.eventing.frame.ReceiptsFrame;
import im.parley.membership.Members;
import im.parley.presence.Presence;
import im.parley.eventing.message.DeviceRef;
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
    private final Presence presence;
    private final Consumer<DeliveryBatch> deliveries;

    public ReceiptFlusher(ReceiptBatches batches, Members members, Presence presence, Consumer<DeliveryBatch> deliveries) {
        this.batches = batches;
        this.members = members;
        this.presence = presence;
        this.deliveries = deliveries;
    }

    /** The reads that may fail come before the batch is taken, so a failure loses nothing: the sweeper tries again. */
    @Override
    public void accept(String conversationId) {
        Map<String, List<DeviceRef>> byNode = presence.byNode(members.of(conversationId), null);
        Map<String, Long> moved = batches.take(conversationId);
        if (moved.isEmpty()) {
            return;
        }
        List<ReceiptsFrame.Reader> readers = new ArrayList<>();
        moved.forEach((user, seq) -> readers.add(new ReceiptsFrame.Reader(user, seq)));
        var frame = Frames.of(new ReceiptsFrame(conversationId, ReceiptFrame.Kind.READ, readers));
        byNode.forEach((node, targets) -> deliveries.accept(DeliveryBatch.of(node, targets, frame)));
    }
}
