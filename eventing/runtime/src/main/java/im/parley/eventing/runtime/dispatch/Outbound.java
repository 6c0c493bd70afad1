package im.parley.eventing.runtime.dispatch;

import im.parley.eventing.binding.KafkaBinding;
import io.cloudevents.CloudEvent;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Produces replies to the broker topic and failed events to dead-letter topics, in binary mode with
 * {@code partitionkey} as the record key and {@code acks=all}, as the Kafka Broker's ingress does.
 */
public final class Outbound implements AutoCloseable {

    private final Producer<String, byte[]> producer;

    public Outbound(String bootstrapServers) {
        this.producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 0,
                ProducerConfig.CLIENT_ID_CONFIG, "parley-eventing-outbound"),
                new StringSerializer(), new ByteArraySerializer());
    }

    public CompletableFuture<Void> send(String topic, CloudEvent event) {
        return send(KafkaBinding.toRecord(topic, event));
    }

    /** Forwards a record as it is; used for records that are not CloudEvents at all. */
    public CompletableFuture<Void> send(ProducerRecord<String, byte[]> record) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        try {
            producer.send(record, (metadata, failure) -> {
                if (failure == null) {
                    done.complete(null);
                } else {
                    done.completeExceptionally(failure);
                }
            });
        } catch (RuntimeException e) {
            done.completeExceptionally(e);
        }
        return done;
    }

    @Override
    public void close() {
        producer.close();
    }
}
