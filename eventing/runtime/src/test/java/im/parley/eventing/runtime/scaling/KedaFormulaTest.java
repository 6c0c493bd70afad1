package im.parley.eventing.runtime.scaling;

import static org.assertj.core.api.Assertions.assertThat;

import im.parley.eventing.runtime.trigger.ScalingPolicy;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class KedaFormulaTest {

    // min 0, max 8, polling 10 s, cooldown 60 s, lagThreshold 100, activation 5
    static final ScalingPolicy POLICY = new ScalingPolicy(true, 0, 8, Duration.ofSeconds(10), Duration.ofSeconds(60), 100, 5);

    @Test
    void partitionLagFollowsTheOffsetResetPolicyWhenNothingIsCommitted() {
        assertThat(KedaFormula.partitionLag(null, 500, "latest")).isEqualTo(1);
        assertThat(KedaFormula.partitionLag(null, 500, "earliest")).isEqualTo(500);
        assertThat(KedaFormula.partitionLag(450L, 500, "latest")).isEqualTo(50);
    }

    @Test
    void desiredIsTheCeilingOfLagOverThresholdNotCappedAtThePartitions() {
        assertThat(KedaFormula.desired(0, POLICY)).isZero();
        assertThat(KedaFormula.desired(1, POLICY)).isEqualTo(1);
        assertThat(KedaFormula.desired(100, POLICY)).isEqualTo(1);
        assertThat(KedaFormula.desired(101, POLICY)).isEqualTo(2);
        // Knative sets allowIdleConsumers, so KEDA does not clip the lag at partitions × threshold.
        assertThat(KedaFormula.desired(1_000_000, POLICY)).isEqualTo(10_000);
    }

    @Test
    void activationNeedsLagAboveTheThreshold() {
        assertThat(KedaFormula.active(5, POLICY)).isFalse();
        assertThat(KedaFormula.active(6, POLICY)).isTrue();
    }
}
