package im.parley.receipt;

import im.parley.delivery.Deliveries;
import im.parley.eventing.Actor;
import im.parley.eventing.EventTypes;
import im.parley.eventing.frame.ReceiptFrame;
import im.parley.eventing.receipt.Receipt;
import im.parley.functions.handlers.Handlers;
import im.parley.functions.handlers.Reply;
import im.parley.membership.Members;
import java.util.List;

/**
 * {@code im.parley.receipt.delivered} and {@code im.parley.receipt.read}: the member's watermark moves forward
 * (never back, never past the last stored seq), and a {@code receipt} frame goes to the member's other devices
 * and to the other members, one batch per node. Groups larger than {@code broadcastLimit} are not told each
 * receipt (the write storm of per-member receipts in large groups): their reads are gathered for a window and
 * told as one {@code receipts} frame ({@link ReceiptFlusher}), and delivered receipts go to the member's own
 * devices only. Receipts from non-members are ignored.
 */
public final class ReceiptFunction {

    private final Watermarks watermarks;
    private final Members members;
    private final Deliveries deliveries;
    private final int broadcastLimit;
    private final ReceiptBatches batches;

    public ReceiptFunction(Watermarks watermarks, Members members, Deliveries deliveries, int broadcastLimit,
                           ReceiptBatches batches) {
        this.watermarks = watermarks;
        this.members = members;
        this.deliveries = deliveries;
        this.broadcastLimit = broadcastLimit;
        this.batches = batches;
    }

    /** What hosting serves: one handler per receipt kind. */
    public Handlers handlers() {
        return Handlers.of("receipt")
                .on(EventTypes.RECEIPT_DELIVERED, (receipt, context) -> receipt(receipt, context.requireActor(), false))
                .on(EventTypes.RECEIPT_READ, (receipt, context) -> receipt(receipt, context.requireActor(), true))
                .build();
    }

    private Reply<?> receipt(Receipt receipt, Actor actor, boolean read) {
        List<String> everyone = members.of(receipt.conversationId());
        if (!everyone.contains(actor.userId())) {
            return Reply.none();
        }
        long seq = Math.min(receipt.seq(), watermarks.lastSeq(receipt.conversationId()));
        if (seq <= 0) {
            return Reply.none();
        }
        watermarks.raise(receipt.conversationId(), actor.userId(), read ? Watermarks.Kind.READ : Watermarks.Kind.DELIVERED, seq);
        boolean large = everyone.size() > broadcastLimit;
        if (large && read) {
            batches.add(receipt.conversationId(), actor.userId(), seq);
        }
        List<String> told = large ? List.of(actor.userId()) : everyone;
        deliveries.toUsers(told, actor.device(), new ReceiptFrame(receipt.conversationId(), actor.userId(),
                read ? ReceiptFrame.Kind.READ : ReceiptFrame.Kind.DELIVERED, seq));
        return Reply.none();
    }
}
