package im.parley.persist;

import im.parley.eventing.EventTypes;
import im.parley.eventing.Events;
import im.parley.eventing.message.MessagePersisted;
import im.parley.eventing.message.MessageSequenced;
import io.cloudevents.CloudEvent;
import java.net.URI;
import java.time.Clock;
import java.util.function.Function;

/**
 * {@code im.parley.message.sequenced} in, {@code im.parley.message.persisted} out, once the message is stored.
 * A redelivered event stores the same row again and replies again; a retried clientMsgId is passed on as a
 * duplicate, so that fanout only acks its sender again. In the messaging composition
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
        store.store(sequenced.message());
        return Events.reply(EventTypes.MESSAGE_PERSISTED, new MessagePersisted(sequenced.message(), clock.instant(),
                sequenced.duplicate()), event,
                SOURCE);
    }
}
