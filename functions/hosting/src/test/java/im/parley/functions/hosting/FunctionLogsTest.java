package im.parley.functions.hosting;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The two log formats FunctionMain picks between, and the trace id taken from W3C trace context. */
class FunctionLogsTest {

    /** What a config writes for one line logged while an event is handled. */
    static String logged(String config) throws Exception {
        PrintStream console = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            LoggerContext context = new LoggerContext();
            context.setMDCAdapter(new ch.qos.logback.classic.util.LogbackMDCAdapter());
            JoranConfigurator configurator = new JoranConfigurator();
            configurator.setContext(context);
            configurator.doConfigure(FunctionLogsTest.class.getClassLoader().getResource(config));
            context.getMDCAdapter().put("eventId", "ev-1");
            context.getMDCAdapter().put("eventType", "im.parley.message.sent");
            context.getMDCAdapter().put("traceId", "4bf92f3577b34da6a3ce929d0e0e4736");
            context.getLogger("im.parley.test").info("stored {}", "m-1");
            context.getMDCAdapter().clear();
            context.stop();
        } finally {
            System.setOut(console);
        }
        return out.toString(StandardCharsets.UTF_8).strip();
    }

    @Test
    void productionLogsAreJsonLinesCarryingTheEventAndTheTrace() throws Exception {
        JsonNode line = new ObjectMapper().readTree(logged(FunctionMain.JSON));
        assertThat(line.path("level").asText()).isEqualTo("INFO");
        assertThat(line.path("formattedMessage").asText()).isEqualTo("stored m-1");
        assertThat(line.path("mdc").path("eventId").asText()).isEqualTo("ev-1");
        assertThat(line.path("mdc").path("traceId").asText()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
    }

    @Test
    void localLogsAreTextNamingTheEventAndTheTrace() throws Exception {
        assertThat(logged(FunctionMain.TEXT)).endsWith("[event=ev-1 type=im.parley.message.sent "
                + "trace=4bf92f3577b34da6a3ce929d0e0e4736] stored m-1");
    }

    @Test
    void theTraceIdIsTheSecondFieldOfAValidTraceparent() {
        assertThat(FunctionHttpServer.traceId("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"))
                .isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
        assertThat(FunctionHttpServer.traceId("garbage")).isNull();
        assertThat(FunctionHttpServer.traceId(null)).isNull();
    }
}
