package im.parley.eventing.runtime.subscriber;

import java.net.URI;
import java.time.Duration;
import java.util.function.BiConsumer;

/**
 * The runtime's port to functions hosted in its own process, by the Knative Service each stands for. A Trigger
 * with no URL for its service calls it here. The first {@link SubscriberSource#acquire} of a service starts it (a
 * cold start, reported) and the last release stops it, so a Trigger scaled to zero has no function running.
 */
public interface InProcessFunctions extends AutoCloseable {

    /** No function hosted here: every Trigger needs a URL. */
    InProcessFunctions NONE = new InProcessFunctions() {
        @Override
        public boolean hosts(String service) {
            return false;
        }

        @Override
        public SubscriberSource source(String service, BiConsumer<String, Duration> coldStarts) {
            throw new IllegalArgumentException("no in-process function for service " + service);
        }

        @Override
        public boolean isRunning(String service) {
            return false;
        }

        @Override
        public void close() {
        }
    };

    boolean hosts(String service);

    /** @param coldStarts told the service and how long it took to start, on each cold start */
    SubscriberSource source(String service, BiConsumer<String, Duration> coldStarts);

    boolean isRunning(String service);

    /**
     * Where functions hosted here send the events they publish to a broker themselves (rather than reply), as a
     * Knative SinkBinding tells a function its sink. Told once, before any function starts.
     */
    default void bindBrokerIngress(URI ingress) {
    }

    @Override
    void close();
}
