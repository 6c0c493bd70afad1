package im.parley.eventing.runtime;

import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** In-process test functions: {@code echo} replies with {@code test.echoed}; {@code sink} records and takes its time. */
@Configuration(proxyBeanMethods = false)
public class TestFunctions {

    static final List<String> SUNK = new CopyOnWriteArrayList<>();

    @Bean
    public Function<CloudEvent, CloudEvent> echo() {
        return event -> CloudEventBuilder.v1(event).withId("echo-" + event.getId()).withType("test.echoed")
                .withSource(URI.create("/test/echo")).build();
    }

    @Bean
    public Function<CloudEvent, CloudEvent> sink() {
        return event -> {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            SUNK.add(event.getId());
            return null;
        };
    }
}
