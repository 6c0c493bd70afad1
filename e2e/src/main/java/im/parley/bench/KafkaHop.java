package im.parley.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import im.parley.eventing.EventJson;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The messaging benchmark's baseline, in a process of its own: one bare Kafka hop on the stack's broker, produced
 * with the tier's settings (acks=all, linger 1 ms) and consumed as a Trigger's consumer would, at a steady rate.
 * Prints {@code hop} and a JSON summary of the produce-to-consume latencies.
 * Usage: KafkaHop bootstrap rate count
 */
public final class KafkaHop {

    static final String TOPIC = "bench-hop";

    public static void main(String[] args) throws Exception {
        String bootstrap = args[0];
        int rate = Integer.parseInt(args[1]);
        int count = Integer.parseInt(args[2]);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            if (!admin.listTopics().names().get().contains(TOPIC)) {
                admin.createTopics(List.of(new NewTopic(TOPIC, 12, (short) 1))).all().get();
            }
        }
        long[] latencies = new long[count];
        java.util.Arrays.fill(latencies, -1);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, 1, ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true),
                new StringSerializer(), new ByteArraySerializer());
             KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                     ConsumerConfig.GROUP_ID_CONFIG, "hop-" + System.nanoTime(), ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest"),
                     new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(TOPIC));
            while (consumer.assignment().isEmpty()) {
                consumer.poll(Duration.ofMillis(100));
            }
            consumer.seekToEnd(consumer.assignment());
            consumer.assignment().forEach(consumer::position);
            Thread sender = new Thread(() -> OpenLoop.run(rate, count, i -> producer.send(new ProducerRecord<>(TOPIC,
                    "c" + (i % 100), ByteBuffer.allocate(16).putLong(System.nanoTime()).putLong(i).array()))));
            sender.start();
            int got = 0;
            long deadline = System.nanoTime() + Duration.ofSeconds(count / rate + 60).toNanos();
            while (got < count && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                    long now = System.nanoTime();
                    ByteBuffer value = ByteBuffer.wrap(r.value());
                    long sentAt = value.getLong();
                    latencies[(int) value.getLong()] = now - sentAt;
                    got++;
                }
            }
            sender.join();
        }
        ObjectNode summary = EventJson.MAPPER.createObjectNode().put("rate", rate).put("records", count);
        ChatClients.percentiles(summary.putObject("latencyMs"), latencies);
        System.out.println("hop " + EventJson.MAPPER.writeValueAsString(summary));
        System.exit(0);
    }

    private KafkaHop() {
    }
}
