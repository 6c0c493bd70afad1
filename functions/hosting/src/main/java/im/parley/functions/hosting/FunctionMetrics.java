package im.parley.functions.hosting;

import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A function's metrics for Prometheus, served on {@code /metrics}: each event's handling time as a histogram by
 * event type and outcome (so p99 is computed across pods, never averaged from per-pod percentiles), and the JVM's.
 */
final class FunctionMetrics implements AutoCloseable {

    /** How an event ended: a reply (200), none (202), refused (4xx, dead-lettered) or failed (5xx, retried). */
    enum Outcome { REPLIED, NO_REPLY, REFUSED, FAILED }

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final JvmGcMetrics gc = new JvmGcMetrics();
    /** One timer per event type and outcome, looked up once: record runs on every event. */
    private final Map<String, Timer> timers = new ConcurrentHashMap<>();

    FunctionMetrics(String function) {
        registry.config().commonTags("function", function);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        gc.bindTo(registry);
    }

    void record(String type, Outcome outcome, long nanos) {
        String name = type == null ? "unknown" : type;
        timers.computeIfAbsent(name + '|' + outcome, key -> Timer.builder("parley_function_events")
                .description("Events handled by the function, from arrival to answer")
                .tag("type", name)
                .tag("outcome", outcome.name().toLowerCase(Locale.ROOT))
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(30))
                .register(registry)).record(nanos, TimeUnit.NANOSECONDS);
    }

    String scrape() {
        return registry.scrape();
    }

    @Override
    public void close() {
        gc.close();
        registry.close();
    }
}
