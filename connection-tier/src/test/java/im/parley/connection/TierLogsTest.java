package im.parley.connection;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The tier's logback.xml: text by default, JSON lines with PARLEY_LOG_FORMAT=json, the trace id in both. */
class TierLogsTest {

    static String logged(String format, String trace) throws Exception {
        PrintStream console = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            LoggerContext context = new LoggerContext();
            context.setMDCAdapter(new ch.qos.logback.classic.util.LogbackMDCAdapter());
            if (format != null) {
                context.putProperty("PARLEY_LOG_FORMAT", format); // as the variable would, looked up before the env
            }
            JoranConfigurator configurator = new JoranConfigurator();
            configurator.setContext(context);
            configurator.doConfigure(TierLogsTest.class.getClassLoader().getResource("logback.xml"));
            if (trace != null) {
                context.getMDCAdapter().put("traceId", trace);
            }
            context.getLogger("im.parley.connection.server.Ingress").warn("broker refused {}", "im.parley.message.sent");
            context.getMDCAdapter().clear();
            context.stop();
        } finally {
            System.setOut(console);
        }
        return out.toString(StandardCharsets.UTF_8).strip();
    }

    @Test
    void productionLogsAreJsonLinesWithTheTrace() throws Exception {
        JsonNode line = new ObjectMapper().readTree(logged("json", "4bf92f3577b34da6a3ce929d0e0e4736"));
        assertThat(line.path("level").asText()).isEqualTo("WARN");
        assertThat(line.path("formattedMessage").asText()).isEqualTo("broker refused im.parley.message.sent");
        assertThat(line.path("mdc").path("traceId").asText()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
    }

    @Test
    void localLogsAreTextNamingTheTraceOnlyWhenThereIsOne() throws Exception {
        assertThat(logged(null, "4bf92f3577b34da6a3ce929d0e0e4736"))
                .endsWith("[trace=4bf92f3577b34da6a3ce929d0e0e4736] broker refused im.parley.message.sent");
        assertThat(logged(null, null)).endsWith("Ingress - broker refused im.parley.message.sent");
    }
}
