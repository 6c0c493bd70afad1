package im.parley.functions.hosting;

import im.parley.eventing.Attempt;
import im.parley.eventing.InvalidEventException;
import im.parley.eventing.Readiness;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import java.net.URI;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * A test function: replies to {@code test.echo}, stays silent on {@code test.silent}, fails on the others, and on
 * {@code test.slow} waits half a second before a write, telling {@link #SLOW_WRITES} whether its attempt let it.
 */
@Configuration(proxyBeanMethods = false)
public class EchoFunctions {

    /** Replies with the very event it got: the HTTP binding must carry every attribute and the data unchanged. */
    @Bean
    public Function<CloudEvent, CloudEvent> mirror() {
        return event -> event;
    }

    public static final BlockingQueue<String> SLOW_WRITES = new LinkedBlockingQueue<>();

    /** What the test store's probe does: null answers, a failure fails, an incomplete future never answers. */
    public static final AtomicReference<CompletableFuture<Object>> STORE = new AtomicReference<>();

    @Bean
    public Readiness testStore() {
        return Readiness.of("test-store", () -> {
            CompletableFuture<Object> answer = STORE.get();
            return answer == null ? CompletableFuture.completedFuture("PONG") : answer;
        });
    }

    @Bean
    public Function<CloudEvent, CloudEvent> echo() {
        return event -> switch (event.getType()) {
            case "test.slow" -> {
                try {
                    Thread.sleep(500);
                    Attempt.ensureLive();
                    SLOW_WRITES.add("written");
                } catch (Attempt.Abandoned e) {
                    SLOW_WRITES.add("abandoned");
                    throw e;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                yield null;
            }
            case "test.echo" -> CloudEventBuilder.v1(event).withId("re-" + event.getId()).withType("test.echoed")
                    .withSource(URI.create("/test/echo")).build();
            case "test.silent" -> null;
            case "test.refused" -> throw new InvalidEventException("refused: " + event.getId());
            default -> throw new IllegalStateException("broken on " + event.getType());
        };
    }
}
