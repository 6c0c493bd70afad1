package im.parley.eventing.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import im.parley.eventing.Actor;
import im.parley.eventing.EventTypes;
import im.parley.eventing.Events;
import im.parley.eventing.delivery.DeliveryBatch;
import im.parley.eventing.message.ContentType;
import im.parley.eventing.message.MessageSent;
import im.parley.eventing.sync.SyncRequested;
import im.parley.eventing.binding.KafkaBinding;
import io.cloudevents.CloudEvent;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

/** What every {@link BrokerSink} does: the in-memory one for unit tests and the Kafka one alike. */
public abstract class BrokerSinkContract {

    static final Actor ALICE = new Actor("alice", "phone", "node-1");

    protected abstract BrokerSink sink();

    /** The events on the topic of the named broker, in order. */
    protected abstract List<CloudEvent> onBroker(String broker, int expected) throws Exception;

    /** What a fresh consumer reads from the start of a topic, until it has the expected number or 20 s passed. */
    public static List<CloudEvent> eventsOn(String bootstrapServers, String topic, int expected) {
        List<CloudEvent> events = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, "sink-contract-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (events.size() < expected && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> events.add(KafkaBinding.fromRecord(r)));
            }
        }
        return events;
    }

    @Test
    public void eachEventLandsOnTheBrokerTheCatalogNamesForItsType() throws Exception {
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
    public void anEventOfATypeOnNoBrokerIsRefused() {
        CloudEvent delivery = Events.create(EventTypes.DELIVERY_BATCH, new DeliveryBatch("n", List.of()), null, URI.create("/t"));
        assertThatThrownBy(() -> sink().publish(delivery).toCompletableFuture().get(10, TimeUnit.SECONDS))
                .hasMessageContaining("not on any broker");
    }
}
