package im.parley.connection.ingress;

import im.parley.eventing.binding.KafkaBinding;
import im.parley.eventing.knative.KnativeNames;
import im.parley.stack.KafkaServer;
import im.parley.stack.junit.LocalStack;
import io.cloudevents.CloudEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The Kafka sink's contract against a real broker, with the topics Knative would name. */
@LocalStack
class KafkaEventSinkIT extends EventSinkContract {

    static final String NAMESPACE = "sinkit";
    static KafkaServer kafka;
    static KafkaEventSink sink;

    @BeforeAll
    static void start(KafkaServer server) {
        kafka = server;
        kafka.createTopic(KnativeNames.brokerTopic(NAMESPACE, "messages"), 2);
        kafka.createTopic(KnativeNames.brokerTopic(NAMESPACE, "default"), 2);
        sink = new KafkaEventSink(kafka.bootstrapServers(), NAMESPACE, "sink-it");
    }

    @AfterAll
    static void stop() {
        sink.close();
    }

    @Override
    EventSink sink() {
        return sink;
    }

    @Override
    List<CloudEvent> onBroker(String broker, int expected) {
        List<CloudEvent> events = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "sink-it-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(KnativeNames.brokerTopic(NAMESPACE, broker)));
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (events.size() < expected && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> events.add(KafkaBinding.fromRecord(r)));
            }
        }
        return events;
    }
}
