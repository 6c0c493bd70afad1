package im.parley.sequence;

import im.parley.eventing.Actor;
import im.parley.eventing.EventTypes;
import im.parley.eventing.message.ContentType;
import im.parley.eventing.message.DeviceRef;
import im.parley.eventing.message.Message;
import im.parley.eventing.message.MessageRejected;
import im.parley.eventing.message.MessageSequenced;
import im.parley.functions.handlers.Context;
import im.parley.functions.handlers.Handlers;
import im.parley.functions.handlers.Reply;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * {@code im.parley.message.sent} or {@code im.parley.message.amended} in, {@code im.parley.message.sequenced} or
 * {@code im.parley.message.rejected} out. The sender is the authenticated actor the connection tier stamped, never a field of the message. An event
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
        return Handlers.of("sequence")
                .on(EventTypes.MESSAGE_SENT, (sent, context) -> sequence(sent.conversationId(), sent.clientMsgId(),
                        sent.contentType(), sent.content(), null, sent.isResend(), context))
                // An edit or recall the amend function allowed is a message of the conversation like any other: it
                // takes the next seq, and its sender must still be able to post there.
                .on(EventTypes.MESSAGE_AMENDED, (amended, context) -> sequence(amended.conversationId(),
                        amended.clientMsgId(), amended.kind().contentType(),
                        amended.content() == null ? "" : amended.content(), amended.refersTo(), false, context))
                .build();
    }

    private Reply<?> sequence(String conversationId, String clientMsgId, ContentType contentType, String content,
                              Long refersTo, boolean resend, Context context) {
        Actor actor = context.requireActor();
        DeviceRef sender = new DeviceRef(actor.userId(), actor.deviceId());
        Instant time = context.time();
        boolean old = time != null && time.isBefore(clock.instant().minus(recent));
        SequenceAllocator.Outcome outcome = allocator.sequence(conversationId, clientMsgId, actor.userId(), resend || old);
        if (outcome instanceof SequenceAllocator.Refused refused) {
            return Reply.of(EventTypes.MESSAGE_REJECTED, new MessageRejected(conversationId, clientMsgId,
                    sender, refused.reason(), null));
        }
        SequenceAllocator.Sequenced sequenced = (SequenceAllocator.Sequenced) outcome;
        Message message = new Message(conversationId, clientMsgId, sequenced.seq(), sender, contentType, content,
                time != null ? time : clock.instant(), refersTo, null, null);
        return Reply.of(EventTypes.MESSAGE_SEQUENCED, new MessageSequenced(message, sequenced.duplicate()));
    }
}
