package im.parley.sequence;

import im.parley.eventing.Actor;
import im.parley.eventing.EventTypes;
import im.parley.eventing.message.DeviceRef;
import im.parley.eventing.message.Message;
import im.parley.eventing.message.MessageRejected;
import im.parley.eventing.message.MessageSent;
import im.parley.eventing.message.MessageSequenced;
import im.parley.functions.handlers.Context;
import im.parley.functions.handlers.Handlers;
import im.parley.functions.handlers.Reply;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * {@code im.parley.message.sent} in, {@code im.parley.message.sequenced} or {@code im.parley.message.rejected}
 * out. The sender is the authenticated actor the connection tier stamped, never a field of the message. An event
 * sent longer ago than half the dedupe window (a redelivery after a long outage or a replay) may have a clientMsgId
 * Redis no longer remembers, so it is sequenced as a resend: the ledger is asked.
 */
public final class SequenceFunction {

    private final SequenceAllocator allocator;
    private final Clock clock;
    private final Duration recent;

    /** @param dedupe how long Redis remembers a clientMsgId */
    public SequenceFunction(SequenceAllocator allocator, Clock clock, Duration dedupe) {
        this.allocator = allocator;
        this.clock = clock;
        this.recent = dedupe.dividedBy(2);
    }

    /** What hosting serves, first in the messaging composition. */
    public Handlers handlers() {
        return Handlers.of("sequence").on(EventTypes.MESSAGE_SENT, this::sequence).build();
    }

    private Reply<?> sequence(MessageSent sent, Context context) {
        Actor actor = context.requireActor();
        DeviceRef sender = new DeviceRef(actor.userId(), actor.deviceId());
        Instant time = context.time();
        boolean old = time != null && time.isBefore(clock.instant().minus(recent));
        SequenceAllocator.Outcome outcome = allocator.sequence(sent.conversationId(), sent.clientMsgId(), actor.userId(),
                sent.isResend() || old);
        if (outcome instanceof SequenceAllocator.Refused refused) {
            return Reply.of(EventTypes.MESSAGE_REJECTED, new MessageRejected(sent.conversationId(), sent.clientMsgId(),
                    sender, refused.reason(), null));
        }
        SequenceAllocator.Sequenced sequenced = (SequenceAllocator.Sequenced) outcome;
        Message message = new Message(sent.conversationId(), sent.clientMsgId(), sequenced.seq(), sender,
                sent.contentType(), sent.content(), time != null ? time : clock.instant());
        return Reply.of(EventTypes.MESSAGE_SEQUENCED, new MessageSequenced(message, sequenced.duplicate()));
    }
}
