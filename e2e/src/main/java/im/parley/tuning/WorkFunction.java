package im.parley.tuning;

import io.cloudevents.CloudEvent;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** For the validation run: a function that takes as long as the event's {@code servicems} says, as the trace's did. */
@Configuration(proxyBeanMethods = false)
public class WorkFunction {

    static final AtomicLong DONE = new AtomicLong();

    @Bean
    public Function<CloudEvent, CloudEvent> work() {
        return event -> {
            Object ms = event.getExtension("servicems");
            if (ms != null) {
                try {
                    Thread.sleep(Long.parseLong(ms.toString()));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted", e);
                }
            }
            DONE.incrementAndGet();
            return null;
        };
    }
}
