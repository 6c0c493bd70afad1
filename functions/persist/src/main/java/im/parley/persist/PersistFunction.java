package im.parley.persist;

import im.parley.eventing.EventTypes;
import im.parley.eventing.message.Message;
import im.parley.eventing.message.MessagePersisted;
import im.parley.functions.handlers.Handlers;
import im.parley.functions.handlers.Reply;
import im.parley.messages.RecentSeqs;
import java.time.Clock;

/**
 * {@code im.parley.message.sequenced} in, {@code im.parley.message.persisted} out, once the message is stored.
 * A retried clientMsgId (a redelivery or a resend) keeps what was stored first, even if the resend's content
 * differs, and that is what fanout delivers and acks. In the messaging composition
 * ({@code sequence|persist|fanout}) a {@code im.parley.message.rejected} passes on with its data, actor and trace: there is
 * nothing to store, and fanout tells the sender.
 */
public final class PersistFunction {

    private final MessageStore store;
    private final RecentSeqs recent;
    private final Clock clock;

    /** @param recent told of each stored seq, for sequencing in the same service */
    public PersistFunction(MessageStore store, RecentSeqs recent, Clock clock) {
        this.store = store;
        this.recent = recent;
        this.clock = clock;
    }

    /** What hosting serves, second in the messaging composition. */
    public Handlers handlers() {
        return Handlers.of("persist")
                .on(EventTypes.MESSAGE_SEQUENCED, (sequenced, context) -> {
                    Message stored = store.store(sequenced.message(), sequenced.duplicate());
                    recent.stored(stored.conversationId(), stored.serverSeq());
                    return Reply.of(EventTypes.MESSAGE_PERSISTED, new MessagePersisted(stored, clock.instant(),
                            sequenced.duplicate()));
                })
                .on(EventTypes.MESSAGE_REJECTED, (rejected, context) -> Reply.of(EventTypes.MESSAGE_REJECTED, rejected))
                .build();
    }
}
