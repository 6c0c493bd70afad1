package im.parley.bench;

import io.cloudevents.CloudEvent;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * A function that does nothing but note when each event reached it, so that a benchmark measures dispatch and
 * nothing else. Events carrying {@code benchsent} (a {@link System#nanoTime()} in this JVM) give a latency.
 */
@Configuration(proxyBeanMethods = false)
public class BenchFunctions {

    /** Where the function records; replaced by each measurement. */
    static final class Recorder {
        final AtomicInteger count = new AtomicInteger();
        final long[] latencies;
        final AtomicInteger timed = new AtomicInteger();

        Recorder(int capacity) {
            latencies = new long[capacity];
        }

        void record(CloudEvent event) {
            Object sent = event.getExtension("benchsent");
            if (sent != null) {
                int i = timed.getAndIncrement();
                if (i < latencies.length) {
                    latencies[i] = System.nanoTime() - Long.parseLong(sent.toString());
                }
            }
            count.incrementAndGet();
        }
    }

    static volatile Recorder recorder = new Recorder(0);

    @Bean
    public Function<CloudEvent, CloudEvent> noop() {
        return event -> {
            recorder.record(event);
            return null;
        };
    }
}
