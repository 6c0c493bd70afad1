package im.parley.eventing.tracing;

import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SpanProcessor;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.MDC;

/**
 * One trace per upstream frame: the tier starts it, every event carries it in the CloudEvents distributed-tracing
 * extension ({@code traceparent}, {@code tracestate}), each function's handling is a span of it, and so is the
 * tier's write of the resulting deliveries. Each process installs the OpenTelemetry SDK once, configured by the
 * standard {@code OTEL_*} variables; nothing is exported unless {@code OTEL_TRACES_EXPORTER} says where (for
 * example {@code otlp} with {@code OTEL_EXPORTER_OTLP_ENDPOINT}).
 */
public final class Tracing {

    public static final String TRACEPARENT = "traceparent";
    public static final String TRACESTATE = "tracestate";
    /** The logs' context key of the trace id. */
    public static final String TRACE_ID = "traceId";
    /** The instrumentation scope of Parley's own spans. */
    public static final String SCOPE = "im.parley";

    private static final W3CTraceContextPropagator W3C = W3CTraceContextPropagator.getInstance();
    private static final TextMapGetter<CloudEvent> EXTENSIONS = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(CloudEvent event) {
            return List.of(TRACEPARENT, TRACESTATE);
        }

        @Override
        public String get(CloudEvent event, String key) {
            Object value = event == null ? null : event.getExtension(key);
            return value == null ? null : value.toString();
        }
    };
    private static final TextMapGetter<String> TRACEPARENT_ONLY = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(String traceparent) {
            return List.of(TRACEPARENT);
        }

        @Override
        public String get(String traceparent, String key) {
            return TRACEPARENT.equals(key) ? traceparent : null;
        }
    };
    /**
     * With no processor, the SDK hands out invalid spans: then no trace would cross a hop or reach a log line while
     * nothing is exported. This one needs neither start nor end, so it costs nothing and keeps spans real.
     */
    private static final SpanProcessor CONTEXT_ONLY = new SpanProcessor() {
        @Override
        public void onStart(Context parent, ReadWriteSpan span) {
        }

        @Override
        public boolean isStartRequired() {
            return false;
        }

        @Override
        public void onEnd(ReadableSpan span) {
        }

        @Override
        public boolean isEndRequired() {
            return false;
        }
    };
    private static volatile boolean installed;

    private Tracing() {
    }

    /**
     * Installs the SDK as this process's OpenTelemetry, once: the local launcher hosts the tier and every function in
     * one process, and the first to start names the service. Variables and system properties override the defaults.
     */
    public static synchronized void install(String service) {
        if (installed) {
            return;
        }
        installed = true;
        try {
            AutoConfiguredOpenTelemetrySdk.builder()
                    .addPropertiesSupplier(() -> Map.of(
                            "otel.service.name", service,
                            "otel.traces.exporter", "none",
                            "otel.metrics.exporter", "none",
                            "otel.logs.exporter", "none"))
                    .addTracerProviderCustomizer((tracing, config) -> tracing.addSpanProcessor(CONTEXT_ONLY))
                    .setResultAsGlobal()
                    .build();
        } catch (IllegalStateException alreadySet) {
            // Something (a test, an agent) installed one first: use it.
        }
    }

    public static Tracer tracer() {
        return GlobalOpenTelemetry.getTracer(SCOPE);
    }

    /** The trace context an event carries, as the parent of a span; the root context when it carries none. */
    public static Context parentOf(CloudEvent event) {
        return W3C.extract(Context.root(), event, EXTENSIONS);
    }

    /** The context of a W3C {@code traceparent}, as a parent; the root context for null or garbage. */
    public static Context parentOf(String traceparent) {
        return traceparent == null ? Context.root() : W3C.extract(Context.root(), traceparent, TRACEPARENT_ONLY);
    }

    /** The W3C {@code traceparent} of a span, or null when it is not a valid span (no SDK, not sampled in). */
    public static String traceparent(Span span) {
        Map<String, String> carrier = inject(span);
        return carrier.get(TRACEPARENT);
    }

    /** The event with the span as its trace context: the next hop continues the trace under this span. */
    public static CloudEvent stamp(CloudEvent event, Span span) {
        Map<String, String> carrier = inject(span);
        if (carrier.isEmpty()) {
            return event;
        }
        CloudEventBuilder builder = CloudEventBuilder.v1(event);
        carrier.forEach(builder::withExtension);
        return builder.build();
    }

    /** The trace id for log lines, or null when the span is not valid. */
    public static String traceId(Span span) {
        SpanContext context = span.getSpanContext();
        return context.isValid() ? context.getTraceId() : null;
    }

    /** Runs logging with the span's trace id in the logs' context ({@code traceId}), as every traced step logs. */
    public static void log(Span span, Runnable logging) {
        String trace = traceId(span);
        if (trace == null) {
            logging.run();
            return;
        }
        String outer = MDC.get(TRACE_ID);
        MDC.put(TRACE_ID, trace);
        try {
            logging.run();
        } finally {
            if (outer == null) {
                MDC.remove(TRACE_ID);
            } else {
                MDC.put(TRACE_ID, outer);
            }
        }
    }

    private static Map<String, String> inject(Span span) {
        Map<String, String> carrier = new HashMap<>(4);
        if (span.getSpanContext().isValid()) {
            W3C.inject(Context.root().with(span), carrier, Map::put);
        }
        return carrier;
    }
}
