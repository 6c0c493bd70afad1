package im.parley.push;

import static org.assertj.core.api.Assertions.assertThat;

import im.parley.functions.handlers.TriggerTypes;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PushFunctionTest {

    @Test
    void itHandlesExactlyItsTriggersTypes() {
        // Routing only: no handler runs, so no store or gateway is needed.
        PushFunction push = new PushFunction(null, null, null, Map.of(), null,
                new PushFunction.Policy(Duration.ofMinutes(5), 30, Duration.ofSeconds(8)), batch -> { }, Clock.systemUTC());
        assertThat(push.handlers().types()).containsExactlyInAnyOrderElementsOf(TriggerTypes.of("push"));
    }
}
