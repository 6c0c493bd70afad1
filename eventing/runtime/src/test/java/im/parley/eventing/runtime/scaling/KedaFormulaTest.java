package im.parley.eventing.runtime.scaling;

import static org.assertj.core.api.Assertions.assertThat;

import im.parley.eventing.runtime.trigger.ScalingPolicy;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class KedaFormulaTest {

    // min 0, max 8, polling 10 s, cooldown 60 s, lagThreshold 100, activation 5
    static final ScalingPolicy POLICY = new ScalingPolicy(true, 0, 8, Duration.ofSeconds(10), Duration.ofSeconds(60), 100, 5);
    static final Duration RECENT = Duration.ofSeconds(1);
    static final Duration LONG_AGO = Duration.ofMinutes(5);

    @Test
    void partitionLagFollowsTheOffsetResetPolicyWhenNothingIsCommitted() {
        assertThat(KedaFormula.partitionLag(null, 500, "latest")).isEqualTo(1);
        assertThat(KedaFormula.partitionLag(null, 500, "earliest")).isEqualTo(500);
        assertThat(KedaFormula.partitionLag(450L, 500, "latest")).isEqualTo(50);
    }

    @Test
    void desiredIsTheCeilingOfLagOverThresholdCappedAtThePartitions() {
        assertThat(KedaFormula.desired(0, 12, POLICY)).isZero();
        assertThat(KedaFormula.desired(1, 12, POLICY)).isEqualTo(1);
        assertThat(KedaFormula.desired(100, 12, POLICY)).isEqualTo(1);
        assertThat(KedaFormula.desired(101, 12, POLICY)).isEqualTo(2);
        assertThat(KedaFormula.desired(1_000_000, 12, POLICY)).isEqualTo(12);
        assertThat(KedaFormula.desired(1_000_000, 3, POLICY)).isEqualTo(3);
    }

    @Test
    void replicasAreClampedAndActivationWakesAZeroTrigger() {
        assertThat(KedaFormula.replicas(0, 5, 12, POLICY, LONG_AGO)).as("lag at the activation threshold").isZero();
        assertThat(KedaFormula.replicas(0, 6, 12, POLICY, RECENT)).isEqualTo(1);
        assertThat(KedaFormula.replicas(1, 350, 12, POLICY, RECENT)).isEqualTo(4);
        assertThat(KedaFormula.replicas(4, 5_000, 12, POLICY, RECENT)).as("max-scale").isEqualTo(8);
        assertThat(KedaFormula.replicas(4, 5_000, 6, POLICY, RECENT)).as("never beyond the partitions").isEqualTo(6);
    }

    @Test
    void anIdleTriggerKeepsOneReplicaUntilTheCooldownThenGoesToZero() {
        assertThat(KedaFormula.replicas(4, 0, 12, POLICY, Duration.ofSeconds(59))).isEqualTo(1);
        assertThat(KedaFormula.replicas(4, 0, 12, POLICY, Duration.ofSeconds(60))).isZero();
        ScalingPolicy floor = new ScalingPolicy(true, 2, 8, Duration.ofSeconds(10), Duration.ofSeconds(60), 100, 5);
        assertThat(KedaFormula.replicas(4, 0, 12, floor, LONG_AGO)).as("min-scale holds").isEqualTo(2);
        assertThat(KedaFormula.replicas(0, 0, 12, floor, LONG_AGO)).isEqualTo(2);
    }
}
