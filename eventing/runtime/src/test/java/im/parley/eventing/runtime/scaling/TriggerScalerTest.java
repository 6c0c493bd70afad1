package im.parley.eventing.runtime.scaling;

import static org.assertj.core.api.Assertions.assertThat;

import im.parley.eventing.runtime.trigger.ScalingPolicy;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** KEDA's 0↔1 decisions and the HPA's 1↔N ones, together, on a clock the test moves. */
class TriggerScalerTest {

    // min 0, max 8, polling 10 s, cooldown 60 s, lagThreshold 100, activation 5
    static final ScalingPolicy POLICY = new ScalingPolicy(true, 0, 8, Duration.ofSeconds(10), Duration.ofSeconds(60), 100, 5);

    static long at(int seconds) {
        return TimeUnit.SECONDS.toNanos(seconds);
    }

    @Test
    void kedaActivatesOneReplicaThenTheHpaScalesOnTheLag() {
        TriggerScaler scaler = new TriggerScaler(POLICY, HpaBehavior.kubernetesDefaults(), at(0));
        assertThat(scaler.next(at(0), 0, 5)).as("lag at the activation threshold").isZero();
        assertThat(scaler.next(at(10), 0, 350)).as("activation").isEqualTo(1);
        assertThat(scaler.next(at(20), 1, 350)).as("HPA: ceil(350 / 100)").isEqualTo(4);
        assertThat(scaler.next(at(30), 4, 5_000)).as("within the HPA's sync period").isEqualTo(4);
        assertThat(scaler.next(at(40), 4, 5_000)).as("max-scale").isEqualTo(8);
        assertThat(scaler.next(at(60), 8, 50_000)).as("max-scale, even beyond the partitions (Knative allows idle consumers)")
                .isEqualTo(8);
    }

    @Test
    void anIdleTriggerHoldsItsReplicasThenGoesToZeroAfterTheCooldown() {
        TriggerScaler scaler = new TriggerScaler(POLICY, HpaBehavior.kubernetesDefaults(), at(0));
        assertThat(scaler.next(at(0), 0, 400)).isEqualTo(1);
        assertThat(scaler.next(at(10), 1, 400)).isEqualTo(4);
        // drained at 20 s: no flapping down, and zero once 60 s have passed since the lag was last above 5
        assertThat(scaler.next(at(30), 4, 0)).isEqualTo(4);
        assertThat(scaler.next(at(60), 4, 3)).isEqualTo(4);
        assertThat(scaler.next(at(70), 4, 0)).isZero();
    }

    @Test
    void minScaleHolds() {
        ScalingPolicy floor = new ScalingPolicy(true, 2, 8, Duration.ofSeconds(10), Duration.ofSeconds(60), 100, 5);
        TriggerScaler scaler = new TriggerScaler(floor, HpaBehavior.kubernetesDefaults(), at(0));
        assertThat(scaler.next(at(0), 0, 0)).isEqualTo(2);
        assertThat(scaler.next(at(500), 4, 0)).isEqualTo(2);
    }
}
