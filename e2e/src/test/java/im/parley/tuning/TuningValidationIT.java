package im.parley.tuning;

import static org.assertj.core.api.Assertions.assertThat;

import im.parley.eventing.runtime.trigger.ScalingPolicy;
import im.parley.stack.KafkaServer;
import im.parley.stack.junit.LocalStack;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The short form of {@code ./parley tune validate}: the simulation must follow the real runtime's replicas and lag
 * on a 40 s trace, for a tight and a loose lag threshold, and rank the two settings' cost as the runtime does.
 */
@LocalStack
class TuningValidationIT {

    @Test
    void theSimulationFollowsTheRuntimesReplicasAndLag(KafkaServer kafka, @TempDir Path work) throws Exception {
        Map<String, ScalingPolicy> settings = new LinkedHashMap<>();
        settings.put("tight", Validation.policy(50));
        settings.put("loose", Validation.policy(2000));
        List<Validation.Run> runs = Validation.run(kafka, work, Validation.trace(40), settings);
        for (Validation.Run r : runs) {
            assertThat(r.points()).as(r.setting()).hasSizeGreaterThanOrEqualTo(35);
            assertThat(r.replicaError()).as(r.setting() + ": replicas off on average").isLessThanOrEqualTo(1.5);
            assertThat(r.lagError()).as(r.setting() + ": lag off on average, over its peak").isLessThanOrEqualTo(0.25);
            assertThat(r.peakLag()).as(r.setting() + ": the burst outran the function").isGreaterThan(300);
        }
        Validation.Run tight = runs.get(0);
        Validation.Run loose = runs.get(1);
        assertThat(tight.replicaSeconds()).isGreaterThan(loose.replicaSeconds());
        assertThat(tight.simulatedReplicaSeconds()).isGreaterThan(loose.simulatedReplicaSeconds());
    }
}
