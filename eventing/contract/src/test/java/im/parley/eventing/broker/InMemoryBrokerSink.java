package im.parley.eventing.broker;

import im.parley.eventing.catalog.EventCatalog;
import io.cloudevents.CloudEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Events kept in memory, for the handlers' unit tests. An event completes when the test says (or at once, with
 * {@link #autoComplete}); {@link BrokerSinkContract} holds it to what the Kafka sink does.
 */
public final class InMemoryBrokerSink implements BrokerSink {

    public record Published(CloudEvent event, CompletableFuture<Void> done) {
    }

    public final List<Published> published = new ArrayList<>();
    public boolean autoComplete = true;

    @Override
    public synchronized CompletionStage<Void> publish(CloudEvent event) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        if (EventCatalog.shared().brokerOf(event.getType()).isEmpty()) {
            done.completeExceptionally(new IllegalArgumentException(event.getType() + " is not on any broker"));
            return done;
        }
        published.add(new Published(event, done));
        if (autoComplete) {
            done.complete(null);
        }
        return done;
    }

    /** Forgets what was published, for tests that publish without end (fuzzing). */
    public synchronized void clear() {
        published.clear();
    }

    public synchronized List<CloudEvent> events() {
        return published.stream().map(Published::event).toList();
    }

    @Override
    public void close() {
    }
}
