package im.parley.eventing.runtime.scaling;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Kubernetes' default HPA behaviour, as the local runtime applies it under every Trigger. */
class HpaTest {

    static long at(int seconds) {
        return TimeUnit.SECONDS.toNanos(seconds);
    }

    @Test
    void scaleUpIsLimitedToDoublingOrFourPodsPerFifteenSeconds() {
        Hpa hpa = new Hpa(HpaBehavior.kubernetesDefaults());
        // lag 5,000 at threshold 100 asks for 50; from 1 replica at most max(2 x 1, 1 + 4) = 5
        assertThat(hpa.next(at(0), 1, 5_000, 100, 1, 50)).isEqualTo(5);
        // within the same 15 s period the budget is spent
        assertThat(hpa.next(at(5), 5, 5_000, 100, 1, 50)).isEqualTo(5);
        // next period: from 5, at most max(10, 9) = 10
        assertThat(hpa.next(at(16), 5, 5_000, 100, 1, 50)).isEqualTo(10);
        assertThat(hpa.next(at(32), 10, 5_000, 100, 1, 50)).isEqualTo(20);
    }

    @Test
    void aDropInLagDoesNotScaleDownUntilItHasLastedTheStabilizationWindow() {
        Hpa hpa = new Hpa(HpaBehavior.kubernetesDefaults());
        assertThat(hpa.next(at(0), 4, 800, 100, 1, 12)).isEqualTo(8);
        // the lag drains: the highest recommendation of the last 300 s (8) holds the replicas
        assertThat(hpa.next(at(15), 8, 0, 100, 1, 12)).isEqualTo(8);
        assertThat(hpa.next(at(150), 8, 30, 100, 1, 12)).isEqualTo(8);
        assertThat(hpa.next(at(299), 8, 0, 100, 1, 12)).isEqualTo(8);
        // 300 s after the spike its recommendation has aged out; the highest left is 1 (lag 30)
        assertThat(hpa.next(at(301), 8, 0, 100, 1, 12)).isEqualTo(1);
    }

    @Test
    void noiseWithinTenPercentChangesNothingAndTheResultIsClamped() {
        Hpa hpa = new Hpa(HpaBehavior.kubernetesDefaults());
        assertThat(hpa.next(at(0), 4, 430, 100, 1, 12)).as("ratio 1.075").isEqualTo(4);
        assertThat(hpa.next(at(15), 4, 460, 100, 1, 12)).as("ratio 1.15").isEqualTo(5);
        assertThat(hpa.next(at(30), 5, 100_000, 100, 1, 6)).as("max").isEqualTo(6);
        assertThat(new Hpa(HpaBehavior.kubernetesDefaults()).next(at(0), 3, 0, 100, 2, 6)).as("min").isEqualTo(2);
    }
}
