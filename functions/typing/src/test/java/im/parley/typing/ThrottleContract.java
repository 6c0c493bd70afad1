package im.parley.typing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** What every {@link Throttle} answers: the in-memory one for unit tests and the Redis one alike. */
abstract class ThrottleContract {

    abstract Throttle throttle();

    @Test
    void theFirstOfAKindInAnIntervalIsAdmittedAndTheRestUntilItEnds() throws Exception {
        Throttle throttle = throttle();
        String key = "test:" + UUID.randomUUID();
        assertThat(throttle.admit(key, Duration.ofMillis(300))).isTrue();
        assertThat(throttle.admit(key, Duration.ofMillis(300))).isFalse();
        assertThat(throttle.admit(key + ":other", Duration.ofMillis(300))).as("another kind").isTrue();
        Thread.sleep(600);
        assertThat(throttle.admit(key, Duration.ofMillis(300))).as("after the interval").isTrue();
    }
}
