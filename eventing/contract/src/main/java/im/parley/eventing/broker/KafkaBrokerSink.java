package im.parley.eventing.broker;

import im.parley.eventing.binding.KafkaBinding;
import im.parley.eventing.catalog.EventCatalog;
import im.parley.eventing.knative.KnativeNames;
import io.cloudevents.CloudEvent;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Produces to the broker topics as Knative's ingress does: binary mode, partitionkey as key, acks=all,
 * idempotence. Each event goes to the topic of the broker the catalog names for its type.
 */
public final class KafkaBrokerSink implements BrokerSink {

    private volatile long lastSuccess;
    private volatile long lastFailure;
    private final KafkaProducer<String, byte[]> producer;
    private final String namespace;
    /** Event type to its broker's topic, as the catalog says. */
    private final Map<String, String> topics = new ConcurrentHashMap<>();

    /**
     * @param namespace the brokers' namespace: a type's topic is knative-broker-&lt;namespace&gt;-&lt;broker&gt;
     * @param deliveryTimeout how long an event may take to be taken before it fails (and at most how long a send
     *                        may block, fetching metadata or with the buffer full)
     */
    public KafkaBrokerSink(String bootstrapServers, String namespace, String clientId, Duration deliveryTimeout) {
        this(bootstrapServers, KafkaSecurity.NONE, namespace, clientId, deliveryTimeout);
    }

    /** @param security how the producer authenticates (SCRAM over TLS in production) */
    public KafkaBrokerSink(String bootstrapServers, KafkaSecurity security, String namespace, String clientId,
                           Duration deliveryTimeout) {
        this.namespace = namespace;
        int timeout = (int) deliveryTimeout.toMillis();
        Map<String, Object> config = new HashMap<>(security.clientProperties());
        config.putAll(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.CLIENT_ID_CONFIG, clientId,
                ProducerConfig.ACKS_CONFIG, "all",
                // Idempotence keeps a conversation's events in order across producer retries.
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 1,
                // Batches are small (linger 1 ms keeps latency low); per-batch compression cost more CPU than it saved.
                ProducerConfig.COMPRESSION_TYPE_CONFIG, "none",
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, timeout - 100,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, timeout,
                ProducerConfig.MAX_BLOCK_MS_CONFIG, timeout));
        this.producer = new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
    }

    @Override
    public CompletionStage<Void> publish(CloudEvent event) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        try {
            String topic = topics.computeIfAbsent(event.getType(), type -> EventCatalog.shared().brokerOf(type)
                    .map(broker -> KnativeNames.brokerTopic(namespace, broker))
                    .orElseThrow(() -> new IllegalArgumentException(type + " is not on any broker")));
            producer.send(KafkaBinding.toRecord(topic, event), (metadata, error) -> {
                if (error != null) {
                    lastFailure = System.nanoTime();
                    done.completeExceptionally(error);
                } else {
                    lastSuccess = System.nanoTime();
                    done.complete(null);
                }
            });
        } catch (RuntimeException e) {
            done.completeExceptionally(e);
        }
        return done;
    }

    /** False while the broker fails every event: the last one sent failed and none was taken since. */
    public boolean taking() {
        return lastFailure == 0 || lastSuccess - lastFailure > 0;
    }

    /** The producer, for its client metrics. */
    public Producer<String, byte[]> producer() {
        return producer;
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(10));
    }
}
