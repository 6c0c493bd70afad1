package im.parley.eventing.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.GlobalOpenTelemetry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import java.net.URI;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

class TracingTest {

    static Tracer tracer;

    /** As a process starts: the SDK installed with its defaults, which export nothing. */
    @BeforeAll
    static void install() {
        GlobalOpenTelemetry.resetForTest();
        Tracing.install("parley-test");
        tracer = Tracing.tracer();
    }

    @AfterAll
    static void uninstall() {
        GlobalOpenTelemetry.resetForTest();
    }

    @Test
    void spansAreRealWhenNothingIsExported() {
        assertThat(tracer.spanBuilder("s").startSpan().getSpanContext().isValid()).isTrue();
    }

    static CloudEvent event() {
        return CloudEventBuilder.v1().withId("e1").withType("im.parley.message.sent").withSource(URI.create("/t")).build();
    }

    @Test
    void aStampedEventCarriesTheSpanAsTheParentOfTheNextHop() {
        Span span = tracer.spanBuilder("publish").startSpan();
        CloudEvent stamped = Tracing.stamp(event(), span);
        assertThat(stamped.getExtension(Tracing.TRACEPARENT)).isEqualTo(Tracing.traceparent(span));
        assertThat(stamped.getExtension(Tracing.TRACEPARENT).toString())
                .matches("00-" + span.getSpanContext().getTraceId() + "-" + span.getSpanContext().getSpanId() + "-0[13]");
        Span next = tracer.spanBuilder("handle").setParent(Tracing.parentOf(stamped)).startSpan();
        assertThat(next.getSpanContext().getTraceId()).isEqualTo(span.getSpanContext().getTraceId());
        Span fromTraceparent = tracer.spanBuilder("deliver").setParent(Tracing.parentOf(Tracing.traceparent(next))).startSpan();
        assertThat(fromTraceparent.getSpanContext().getTraceId()).isEqualTo(span.getSpanContext().getTraceId());
    }

    @Test
    void withoutAValidSpanNothingIsStampedAndGarbageStartsANewTrace() {
        CloudEvent event = event();
        assertThat(Tracing.stamp(event, Span.getInvalid())).isSameAs(event);
        assertThat(Tracing.traceparent(Span.getInvalid())).isNull();
        assertThat(Tracing.traceId(Span.getInvalid())).isNull();
        Span root = tracer.spanBuilder("x").setParent(Tracing.parentOf("garbage")).startSpan();
        assertThat(root.getSpanContext().isValid()).isTrue();
        Span fromEvent = tracer.spanBuilder("y").setParent(Tracing.parentOf(event)).startSpan();
        assertThat(fromEvent.getSpanContext().getTraceId()).isNotEqualTo(root.getSpanContext().getTraceId());
    }

    @Test
    void logLinesOfAStepCarryItsTraceIdAndTheOuterOneIsRestored() {
        Span span = tracer.spanBuilder("step").startSpan();
        MDC.put(Tracing.TRACE_ID, "outer");
        String[] seen = new String[1];
        Tracing.log(span, () -> seen[0] = MDC.get(Tracing.TRACE_ID));
        assertThat(seen[0]).isEqualTo(span.getSpanContext().getTraceId());
        assertThat(MDC.get(Tracing.TRACE_ID)).isEqualTo("outer");
        MDC.remove(Tracing.TRACE_ID);
    }
}
