package im.parley.connection.ingress;

import im.parley.eventing.broker.BrokerSink;
import io.cloudevents.CloudEvent;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Hands events to the {@link BrokerSink} on a thread of its own, never on a socket's event loop: a producer that
 * blocks (fetching metadata, or with its buffer full) would freeze every socket on that loop. Its queue is bounded;
 * when it is full the event fails at once, and the client is told to resend.
 */
public final class Publisher implements AutoCloseable {

    private final BrokerSink sink;
    private final ThreadPoolExecutor thread;

    public Publisher(BrokerSink sink, int queued) {
        this.sink = sink;
        this.thread = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(queued), r -> {
            Thread t = new Thread(r, "parley-ingress");
            t.setDaemon(true);
            return t;
        });
    }

    /** Completes once the broker has the event durably, or fails (the queue full, the broker unavailable). */
    public CompletionStage<Void> publish(CloudEvent event) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        try {
            thread.execute(() -> sink.publish(event).whenComplete((ok, failure) -> {
                if (failure == null) {
                    done.complete(null);
                } else {
                    done.completeExceptionally(failure);
                }
            }));
        } catch (RejectedExecutionException e) {
            done.completeExceptionally(new IllegalStateException("ingress queue full", e));
        }
        return done;
    }

    @Override
    public void close() {
        thread.shutdown();
        try {
            thread.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        sink.close();
    }
}
