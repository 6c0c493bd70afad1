package im.parley.connection;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.Producer;

/** The tier's Prometheus metrics. */
public final class TierMetrics implements AutoCloseable {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Counter framesIn = Counter.builder("parley_frames_in").description("Frames received").register(registry);
    private final Counter framesOut = Counter.builder("parley_frames_out").description("Frames written").register(registry);
    private final Counter produceErrors = Counter.builder("parley_produce_errors")
            .description("Events the broker did not take").register(registry);
    private final Timer produceLatency = Timer.builder("parley_produce_latency")
            .description("From frame to broker ack").publishPercentileHistogram()
            .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofSeconds(10)).register(registry);
    private final Counter slowConsumers = Counter.builder("parley_slow_consumer_disconnects")
            .description("Clients closed for not reading").register(registry);
    private final Counter missed = Counter.builder("parley_deliveries_missed")
            .description("Deliveries for a device no longer on this node").register(registry);
    private final Counter gaps = Counter.builder("parley_delivery_gaps")
            .description("Times the delivery stream was trimmed past what this node had read").register(registry);

    private final JvmGcMetrics gc = new JvmGcMetrics();
    private KafkaClientMetrics producer;

    public TierMetrics(Supplier<Number> connections) {
        Gauge.builder("parley_connections", connections).description("Open authenticated connections").register(registry);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        gc.bindTo(registry);
    }

    /** The Kafka producer's own metrics (request latency, batch sizes, errors), as kafka_producer_*. */
    public void bindProducer(Producer<?, ?> producer) {
        this.producer = new KafkaClientMetrics(producer);
        this.producer.bindTo(registry);
    }

    public void frameIn() {
        framesIn.increment();
    }

    public void frameOut() {
        framesOut.increment();
    }

    public void rejected(String code) {
        Counter.builder("parley_frames_rejected").tag("code", code).register(registry).increment();
    }

    public void produced(long nanos) {
        produceLatency.record(nanos, TimeUnit.NANOSECONDS);
    }

    public void produceFailed() {
        produceErrors.increment();
    }

    public void slowConsumer() {
        slowConsumers.increment();
    }

    public void deliveryGap() {
        gaps.increment();
    }

    public void deliveryMissed() {
        missed.increment();
    }

    public String scrape() {
        return registry.scrape();
    }

    /** Stops the GC listener and the Kafka metrics' refresh thread, which would outlive a closed tier. */
    @Override
    public void close() {
        gc.close();
        if (producer != null) {
            producer.close();
        }
        registry.close();
    }
}
