package im.parley.connection.ingress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import im.parley.eventing.Actor;
import im.parley.eventing.EventTypes;
import im.parley.eventing.Events;
import im.parley.eventing.delivery.DeliveryBatch;
import im.parley.eventing.message.ContentType;
import im.parley.eventing.message.MessageSent;
import im.parley.eventing.sync.SyncRequested;
import io.cloudevents.CloudEvent;
import java.net.URI;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** What every {@link EventSink} does: the in-memory one for unit tests and the Kafka one alike. */
abstract class EventSinkContract {

    static final Actor ALICE = new Actor("alice", "phone", "node-1");

    abstract EventSink sink();

    /** The events on the topic of the named broker, in order. */
    abstract List<CloudEvent> onBroker(String broker, int expected) throws Exception;

    @Test
    void eachEventLandsOnTheBrokerTheCatalogNamesForItsType() throws Exception {
        CloudEvent message = Events.create(EventTypes.MESSAGE_SENT, new MessageSent("d:alice:bob", "c1", ContentType.TEXT, "hi"),
                ALICE, URI.create("/test"));
        CloudEvent sync = Events.create(EventTypes.SYNC_REQUESTED, new SyncRequested("r1", SyncRequested.Kind.CONVERSATIONS,
                null, null, null, null, null), ALICE, URI.create("/test"));
        sink().publish(message).toCompletableFuture().get(10, TimeUnit.SECONDS);
        sink().publish(sync).toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertThat(onBroker("messages", 1)).extracting(CloudEvent::getId).contains(message.getId()).doesNotContain(sync.getId());
        assertThat(onBroker("default", 1)).extracting(CloudEvent::getId).contains(sync.getId()).doesNotContain(message.getId());
    }

    @Test
    void anEventOfATypeOnNoBrokerIsRefused() {
        CloudEvent delivery = Events.create(EventTypes.DELIVERY_BATCH, new DeliveryBatch("n", List.of()), null, URI.create("/t"));
        assertThatThrownBy(() -> sink().publish(delivery).toCompletableFuture().get(10, TimeUnit.SECONDS))
                .hasMessageContaining("not on any broker");
    }
}
