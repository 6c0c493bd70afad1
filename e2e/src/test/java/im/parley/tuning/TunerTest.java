package im.parley.tuning;

import static org.assertj.core.api.Assertions.assertThat;

import im.parley.eventing.runtime.scaling.HpaBehavior;
import im.parley.eventing.runtime.trigger.ScalingPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class TunerTest {

    /** One event every 200 s or so: a Trigger at zero makes each wait for a poll and a cold start. */
    static Trace.TriggerTrace sparse() {
        return new Trace.TriggerTrace("sparse", false, 12, new ArrayList<>(Collections.nCopies(3600, 0.005)), List.of(5.0));
    }

    static Candidate current() {
        return new Candidate(new ScalingPolicy(true, 0, 4, Duration.ofSeconds(10), Duration.ofSeconds(30), 100, 0),
                HpaBehavior.kubernetesDefaults(), Duration.ofSeconds(2), Duration.ZERO, 64);
    }

    @Test
    void aTightObjectiveOnSparseTrafficNeedsAWarmReplicaAndALooseOneTakesScaleToZero() {
        Tuner.Tuning tight = Tuner.tune(sparse(), 1, current(), 50, 1);
        assertThat(tight.meets()).isTrue();
        assertThat(tight.recommended().candidate().policy().minScale()).isEqualTo(1);
        assertThat(tight.recommended().result().replicaSeconds()).isEqualTo(3600.0);
        assertThat(tight.current().result().p99WaitMs()).as("from zero: a poll and a cold start").isGreaterThan(2_000);

        Tuner.Tuning loose = Tuner.tune(sparse(), 1, current(), 15_000, 1);
        assertThat(loose.meets()).isTrue();
        assertThat(loose.recommended().candidate().policy().minScale()).isZero();
        // Polling 5 s and the shortest cooldown keep a replica the least: well under the hour.
        assertThat(loose.recommended().result().replicaSeconds()).isLessThan(1_000);
        assertThat(loose.recommended().candidate().policy().cooldownPeriod()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void theFrontGetsCheaperOnlyByWaitingLonger() {
        Tuner.Tuning tuning = Tuner.tune(sparse(), 1, current(), 50, 1);
        List<Tuner.Trial> front = tuning.front();
        assertThat(front).hasSizeGreaterThanOrEqualTo(2);
        for (int i = 1; i < front.size(); i++) {
            assertThat(front.get(i).result().replicaSeconds()).isGreaterThanOrEqualTo(front.get(i - 1).result().replicaSeconds());
            assertThat(front.get(i).result().p99WaitMs()).isLessThan(front.get(i - 1).result().p99WaitMs());
        }
        assertThat(tuning.trials()).hasSize(Tuner.LAG_THRESHOLDS.length * Tuner.POLLING_SECONDS.length
                * Tuner.COOLDOWN_SECONDS.length * Tuner.MIN_SCALES.length);
    }
}
