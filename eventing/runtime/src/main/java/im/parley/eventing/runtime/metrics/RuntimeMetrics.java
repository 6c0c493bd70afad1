package im.parley.eventing.runtime.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** The runtime's Prometheus metrics, per Trigger: lag, replicas, deliveries, retries and dead letters. */
public final class RuntimeMetrics {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Map<String, TriggerMeters> triggers = new ConcurrentHashMap<>();

    public TriggerMeters trigger(String trigger) {
        return triggers.computeIfAbsent(trigger, TriggerMeters::new);
    }

    public void coldStart(String service, Duration took) {
        Timer.builder("parley.function.cold.start").tag("service", service)
                .description("Time to start a function that was scaled to zero").register(registry).record(took);
    }

    public String scrape() {
        return registry.scrape();
    }

    /** The meters of one Trigger. */
    public final class TriggerMeters {

        private final AtomicLong lag = new AtomicLong();
        private final AtomicInteger replicas = new AtomicInteger();
        private final Counter succeeded;
        private final Counter deadLettered;
        private final Counter dropped;
        private final Counter filtered;
        private final Counter retries;
        private final Counter restarts;
        private final Counter lateAnswers;
        private final Timer dispatch;

        private TriggerMeters(String trigger) {
            Gauge.builder("parley.trigger.lag", lag, AtomicLong::get).tag("trigger", trigger)
                    .description("Log-end offset minus committed offset, summed over the broker topic's partitions")
                    .register(registry);
            Gauge.builder("parley.trigger.replicas", replicas, AtomicInteger::get).tag("trigger", trigger)
                    .description("Running dispatcher replicas").register(registry);
            succeeded = outcome(trigger, "succeeded");
            deadLettered = outcome(trigger, "dead_lettered");
            dropped = outcome(trigger, "dropped");
            filtered = Counter.builder("parley.trigger.filtered").tag("trigger", trigger)
                    .description("Events the Trigger's filter skipped").register(registry);
            retries = Counter.builder("parley.trigger.retries").tag("trigger", trigger)
                    .description("Attempts beyond the first").register(registry);
            restarts = Counter.builder("parley.trigger.replica.restarts").tag("trigger", trigger)
                    .description("Replica sessions that failed and were replaced").register(registry);
            lateAnswers = Counter.builder("parley.trigger.late.answers").tag("trigger", trigger)
                    .description("Answers that came back after their partition went to another replica; not produced")
                    .register(registry);
            dispatch = Timer.builder("parley.trigger.dispatch").tag("trigger", trigger)
                    .description("From taking an event in to its delivery being done, retries included")
                    .register(registry);
        }

        private Counter outcome(String trigger, String outcome) {
            return Counter.builder("parley.trigger.deliveries").tag("trigger", trigger).tag("outcome", outcome)
                    .description("Events done with: succeeded, sent to the dead-letter sink, or dropped for want of one")
                    .register(registry);
        }

        public void lag(long value) {
            lag.set(value);
        }

        public long lag() {
            return lag.get();
        }

        public void replicas(int value) {
            replicas.set(value);
        }

        public void succeeded(long startedNanos) {
            succeeded.increment();
            dispatch.record(System.nanoTime() - startedNanos, java.util.concurrent.TimeUnit.NANOSECONDS);
        }

        public void deadLettered() {
            deadLettered.increment();
        }

        public void dropped() {
            dropped.increment();
        }

        public void filtered() {
            filtered.increment();
        }

        public void replicaRestarted() {
            restarts.increment();
        }

        public double replicaRestarts() {
            return restarts.count();
        }

        public void retried() {
            retries.increment();
        }

        public void lateAnswer() {
            lateAnswers.increment();
        }

        public double lateAnswers() {
            return lateAnswers.count();
        }

        public double deadLetters() {
            return deadLettered.count();
        }

        public double retriesCount() {
            return retries.count();
        }
    }
}
