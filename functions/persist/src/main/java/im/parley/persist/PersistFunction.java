package im.parley.persist;

import im.parley.eventing.EventTypes;
import im.parley.eventing.Events;
import im.parley.eventing.message.Message;
import im.parley.eventing.message.MessagePersisted;
import im.parley.eventing.message.MessageSequenced;
import io.cloudevents.CloudEvent;
import java.net.URI;
import java.time.Clock;
import java.util.function.Function;

/**
 * {@code im.parley.message.sequenced} in, {@code im.parley.message.persisted} out, once the message is stored.
 * A retried clientMsgId (a redelivery or a resend) keeps what was stored first, even if the resend's content
 * differs, and that is what fanout delivers and acks. In the messaging composition
 * ({@code sequence|persist|fanout}) a {@code im.parley.message.rejected} passes through untouched: there is
 * nothing to store, and fanout tells the sender.
 */
public final class PersistFunction implements Function<CloudEvent, CloudEvent> {

    static final URI SOURCE = Events.functionSource("persist");

    private final MessageStore store;
    private final Clock clock;

    public PersistFunction(MessageStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    @Override
    public CloudEvent apply(CloudEvent event) {
        if (EventTypes.MESSAGE_REJECTED.type().equals(event.getType())) {
            return event;
        }
        MessageSequenced sequenced = Events.data(EventTypes.MESSAGE_SEQUENCED, event);
        Message stored = store.store(sequenced.message(), sequenced.duplicate());
        return Events.reply(EventTypes.MESSAGE_PERSISTED, new MessagePersisted(stored, clock.instant(), sequenced.duplicate()),
                event, SOURCE);
    }
}
