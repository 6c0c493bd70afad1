package im.parley.functions.hosting;

import im.parley.eventing.InvalidEventException;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import java.net.URI;
import java.util.function.Function;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** A test function: replies to {@code test.echo}, stays silent on {@code test.silent}, and fails on the others. */
@Configuration(proxyBeanMethods = false)
public class EchoFunctions {

    /** Replies with the very event it got: the HTTP binding must carry every attribute and the data unchanged. */
    @Bean
    public Function<CloudEvent, CloudEvent> mirror() {
        return event -> event;
    }

    @Bean
    public Function<CloudEvent, CloudEvent> echo() {
        return event -> switch (event.getType()) {
            case "test.echo" -> CloudEventBuilder.v1(event).withId("re-" + event.getId()).withType("test.echoed")
                    .withSource(URI.create("/test/echo")).build();
            case "test.silent" -> null;
            case "test.refused" -> throw new InvalidEventException("refused: " + event.getId());
            default -> throw new IllegalStateException("broken on " + event.getType());
        };
    }
}
