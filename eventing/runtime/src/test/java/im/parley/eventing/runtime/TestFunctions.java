package im.parley.eventing.runtime;

import im.parley.eventing.runtime.subscriber.InProcessFunctions;
import im.parley.eventing.runtime.subscriber.SubscriberResponse;
import im.parley.eventing.runtime.subscriber.SubscriberSource;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * In-process test functions behind the runtime's port: {@code echo} replies with {@code test.echoed}; {@code sink}
 * records and takes its time. Each runs while a replica holds it, as the launcher's Spring host does.
 */
final class TestFunctions implements InProcessFunctions {

    static final String ECHO = "echo";
    static final String SINK = "sink";
    static final List<String> SUNK = new CopyOnWriteArrayList<>();
    /** Fails its replica's thread (throws where the runtime expects a stage) on the first event, then records. */
    static final String CRASH = "crash";
    static final List<String> SURVIVED = new CopyOnWriteArrayList<>();
    private static final java.util.concurrent.atomic.AtomicBoolean CRASHED = new java.util.concurrent.atomic.AtomicBoolean();

    private static final Map<String, Function<CloudEvent, CloudEvent>> FUNCTIONS = Map.of(
            ECHO, event -> CloudEventBuilder.v1(event).withId("echo-" + event.getId()).withType("test.echoed")
                    .withSource(URI.create("/test/echo")).build(),
            SINK, event -> {
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                SUNK.add(event.getId());
                return null;
            });

    private final Set<String> hosted;
    private final Map<String, AtomicInteger> users = new ConcurrentHashMap<>();
    private final java.util.concurrent.ExecutorService executor = Executors.newCachedThreadPool();

    TestFunctions(Set<String> hosted) {
        this.hosted = Set.copyOf(hosted);
    }

    @Override
    public boolean hosts(String service) {
        return hosted.contains(service);
    }

    @Override
    public SubscriberSource source(String service, BiConsumer<String, Duration> coldStarts) {
        Function<CloudEvent, CloudEvent> function = FUNCTIONS.get(service);
        return new SubscriberSource() {
            @Override
            public im.parley.eventing.runtime.subscriber.Subscriber acquire() {
                if (users.computeIfAbsent(service, s -> new AtomicInteger()).getAndIncrement() == 0) {
                    coldStarts.accept(service, Duration.ZERO);
                }
                if (service.equals(CRASH)) {
                    return (event, timeout) -> {
                        if (CRASHED.compareAndSet(false, true)) {
                            throw new IllegalStateException("a bug on the replica's thread");
                        }
                        SURVIVED.add(event.getId());
                        return CompletableFuture.completedFuture(new SubscriberResponse(202, null, new byte[0]));
                    };
                }
                return (event, timeout) -> CompletableFuture.supplyAsync(() -> {
                    CloudEvent reply = function.apply(event);
                    return new SubscriberResponse(reply == null ? 202 : 200, reply, new byte[0]);
                }, executor);
            }

            @Override
            public void release() {
                users.get(service).decrementAndGet();
            }
        };
    }

    @Override
    public boolean isRunning(String service) {
        AtomicInteger n = users.get(service);
        return n != null && n.get() > 0;
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
