package im.parley.eventing.runtime.scaling;

import static org.assertj.core.api.Assertions.assertThat;

import im.parley.stack.KafkaServer;
import im.parley.stack.junit.LocalStack;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** A group anchored before its first consumer gets every event produced after the anchor, none before. */
@LocalStack
class GroupAnchorIT {

    @Test
    void eventsProducedBeforeTheFirstConsumerAreKept(KafkaServer kafka) throws Exception {
        String topic = "anchor-test";
        kafka.createTopic(topic, 3);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()));
             KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                     ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()), new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < 6; i++) {
                producer.send(new ProducerRecord<>(topic, "k" + i, "before-" + i)).get();
            }
            assertThat(GroupAnchor.anchor(admin, topic, List.of("anchored"))).isEqualTo(3);
            assertThat(GroupAnchor.anchor(admin, topic, List.of("anchored"))).as("already anchored").isZero();
            for (int i = 0; i < 6; i++) {
                producer.send(new ProducerRecord<>(topic, "k" + i, "after-" + i)).get();
            }
            List<String> seen = new ArrayList<>();
            try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                    ConsumerConfig.GROUP_ID_CONFIG, "anchored",
                    ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest"), new StringDeserializer(), new StringDeserializer())) {
                consumer.subscribe(List.of(topic));
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (seen.size() < 6 && System.nanoTime() < deadline) {
                    for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                        seen.add(record.value());
                    }
                }
            }
            assertThat(seen).containsExactlyInAnyOrder("after-0", "after-1", "after-2", "after-3", "after-4", "after-5");
        }
    }
}
