package im.parley.eventing.schema;

import static org.assertj.core.api.Assertions.assertThat;

import im.parley.eventing.Examples;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class SchemaExamplesTest {

    static Stream<Examples> examples() {
        return Examples.all().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    void everyExampleValidatesExactlyAsItsNameSays(Examples example) {
        List<String> violations = EventSchemas.violations(example.json());
        if (example.valid()) {
            assertThat(violations).as("violations of %s", example).isEmpty();
        } else {
            assertThat(violations).as("violations of %s", example).isNotEmpty();
        }
    }

    @org.junit.jupiter.api.Test
    void anUnknownTypeIsReportedNotThrown() {
        var event = im.parley.eventing.EventJson.MAPPER.createObjectNode().put("type", "im.parley.nope");
        assertThat(EventSchemas.violations(event)).singleElement().asString().contains("unknown event type");
    }
}
