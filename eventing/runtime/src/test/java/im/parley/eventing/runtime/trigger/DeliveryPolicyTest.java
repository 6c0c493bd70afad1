package im.parley.eventing.runtime.trigger;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DeliveryPolicyTest {

    @Test
    void linearAndExponentialDelays() {
        DeliveryPolicy linear = new DeliveryPolicy(3, DeliveryPolicy.Backoff.LINEAR, Duration.ofMillis(200), null, null);
        assertThat(linear.attempts()).isEqualTo(4);
        assertThat(linear.delayBeforeRetry(1)).isEqualTo(Duration.ofMillis(200));
        assertThat(linear.delayBeforeRetry(3)).isEqualTo(Duration.ofMillis(600));
        DeliveryPolicy exponential = new DeliveryPolicy(3, DeliveryPolicy.Backoff.EXPONENTIAL, Duration.ofMillis(100), null, null);
        assertThat(exponential.delayBeforeRetry(1)).isEqualTo(Duration.ofMillis(200));
        assertThat(exponential.delayBeforeRetry(3)).isEqualTo(Duration.ofMillis(800));
    }

    @Test
    void retryableStatusesAreKnatives() {
        for (int status : new int[] {404, 408, 409, 429, 500, 502, 503, 504}) {
            assertThat(DeliveryPolicy.retryable(status)).as("%d", status).isTrue();
        }
        for (int status : new int[] {300, 400, 401, 403, 405, 413, 422}) {
            assertThat(DeliveryPolicy.retryable(status)).as("%d", status).isFalse();
        }
    }
}
