package im.parley.connection.ingress;

import im.parley.eventing.binding.KafkaBinding;
import io.cloudevents.CloudEvent;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Produces to the broker topic as Knative's ingress does: binary mode, partitionkey as key, acks=all. */
public final class KafkaEventSink implements EventSink {

    private final KafkaProducer<String, byte[]> producer;
    private final String topic;

    public KafkaEventSink(String bootstrapServers, String topic, String clientId) {
        this.topic = topic;
        this.producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.CLIENT_ID_CONFIG, clientId,
                ProducerConfig.ACKS_CONFIG, "all",
                // Idempotence keeps a conversation's events in order across producer retries.
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 1,
                // Batches are small (linger 1 ms keeps latency low); per-batch compression cost more CPU than it saved.
                ProducerConfig.COMPRESSION_TYPE_CONFIG, "none",
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000,
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 5_000),
                new StringSerializer(), new ByteArraySerializer());
    }

    @Override
    public CompletionStage<Void> publish(CloudEvent event) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        try {
            producer.send(KafkaBinding.toRecord(topic, event), (metadata, error) -> {
                if (error != null) {
                    done.completeExceptionally(error);
                } else {
                    done.complete(null);
                }
            });
        } catch (RuntimeException e) {
            done.completeExceptionally(e);
        }
        return done;
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(10));
    }
}
