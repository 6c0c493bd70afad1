package im.parley.functions.hosting;

import im.parley.eventing.Readiness;
import im.parley.eventing.tracing.Tracing;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Scope;
import java.util.Collection;
import org.springframework.beans.factory.BeanFactoryUtils;
import io.cloudevents.CloudEvent;
import java.time.Duration;
import java.util.Map;
import java.util.function.Function;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.context.ConfigurationPropertiesAutoConfiguration;
import org.springframework.boot.autoconfigure.context.PropertyPlaceholderAutoConfiguration;
import org.springframework.cloud.function.context.FunctionCatalog;
import org.springframework.cloud.function.context.config.ContextFunctionCatalogAutoConfiguration;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.MapPropertySource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * One running function: its Spring context and the function looked up in Spring Cloud Function's
 * {@link FunctionCatalog}. A function is a {@code Function<CloudEvent, CloudEvent>} bean; it returns the
 * reply event, or null for none.
 */
public final class FunctionApplication implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(FunctionApplication.class);

    /** Only what a function needs, so that a cold start stays short: no web server, no scanning. */
    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration({PropertyPlaceholderAutoConfiguration.class, ConfigurationPropertiesAutoConfiguration.class,
            ContextFunctionCatalogAutoConfiguration.class})
    static class Host {
    }

    private final FunctionDescriptor descriptor;
    private final ConfigurableApplicationContext context;
    private final Function<CloudEvent, CloudEvent> function;
    private final Duration startup;

    private FunctionApplication(FunctionDescriptor descriptor, ConfigurableApplicationContext context,
                                Function<CloudEvent, CloudEvent> function, Duration startup) {
        this.descriptor = descriptor;
        this.context = context;
        this.function = function;
        this.startup = startup;
    }

    public static FunctionApplication start(FunctionDescriptor descriptor, Map<String, Object> properties) {
        return start(descriptor, properties, null);
    }

    /**
     * Starts the function as a child of {@code parent}, whose beans (such as the store clients that functions hosted
     * in one process share) it uses instead of making its own.
     */
    public static FunctionApplication start(FunctionDescriptor descriptor, Map<String, Object> properties,
                                            ApplicationContext parent) {
        long started = System.nanoTime();
        Class<?> configuration;
        try {
            configuration = Class.forName(descriptor.configuration(), true, Thread.currentThread().getContextClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("function " + descriptor.service() + ": configuration class "
                    + descriptor.configuration() + " is not on the class path", e);
        }
        // A plain context, not SpringApplication: no logging-system reset, listeners or environment
        // post-processors to run on a cold start.
        AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext();
        if (parent != null) {
            context.setParent(parent);
        }
        context.getEnvironment().getPropertySources().addFirst(new MapPropertySource("function", properties));
        context.register(Host.class, configuration);
        context.refresh();
        FunctionCatalog catalog = context.getBean(FunctionCatalog.class);
        Function<CloudEvent, CloudEvent> function = catalog.lookup(Function.class, descriptor.definition());
        if (function == null) {
            context.close();
            throw new IllegalStateException("function " + descriptor.service() + ": no function named '"
                    + descriptor.definition() + "' in " + descriptor.configuration() + "; the catalog has "
                    + catalog.getNames(Function.class));
        }
        return new FunctionApplication(descriptor, context, function, Duration.ofNanos(System.nanoTime() - started));
    }

    /**
     * Handles one event under a span of the trace it carries (over HTTP and in the local runtime alike); a reply
     * carries that span's context on, so the next function's span is its child.
     */
    public CloudEvent apply(CloudEvent event) {
        Span span = Tracing.tracer().spanBuilder(descriptor.service() + " " + event.getType())
                .setParent(Tracing.parentOf(event)).setSpanKind(SpanKind.CONSUMER)
                .setAttribute("cloudevents.event_id", event.getId()).startSpan();
        String outerEvent = MDC.get("eventId");
        MDC.put("eventId", event.getId());
        MDC.put("eventType", event.getType());
        try (Scope scope = span.makeCurrent()) {
            CloudEvent reply = function.apply(event);
            Tracing.log(span, () -> LOG.debug("{} handled {} {}{}", descriptor.service(), event.getType(), event.getId(),
                    reply == null ? "" : ", replied " + reply.getType()));
            return reply == null ? null : Tracing.stamp(reply, span);
        } catch (RuntimeException | Error e) {
            span.recordException(e);
            span.setStatus(StatusCode.ERROR, String.valueOf(e.getMessage()));
            throw e;
        } finally {
            span.end();
            if (outerEvent == null) {
                MDC.remove("eventId");
                MDC.remove("eventType");
            }
        }
    }

    /** What the function's beans need to answer before it takes events (its stores), shared ones included. */
    public Collection<Readiness> readiness() {
        return BeanFactoryUtils.beansOfTypeIncludingAncestors(context, Readiness.class).values();
    }

    public FunctionDescriptor descriptor() {
        return descriptor;
    }

    /** How long the context took to start, for cold-start figures. */
    public Duration startup() {
        return startup;
    }

    @Override
    public void close() {
        context.close();
    }
}
