package im.parley.tuning;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Knative's pod autoscaler against cases worked out by hand. */
class PodAutoscalerTest {

    static final long S = 1_000_000_000L;

    /** Concurrency 10 per pod at full utilization, a 60 s window (6 s of panic window), no delay, no limits. */
    static PodScaling tenPerPod(int min, int max, Duration scaleDownDelay) {
        return new PodScaling(0, 10, 1.0, Duration.ofSeconds(60), 10, 2.0, min, max, scaleDownDelay,
                Duration.ofSeconds(30), Duration.ofSeconds(2));
    }

    static void observe(PodAutoscaler kpa, int seconds, double concurrency) {
        for (int i = 0; i < seconds; i++) {
            kpa.observe(concurrency);
        }
    }

    @Test
    void theStableWindowsAverageOverTheConcurrencyPerPodRoundedUp() {
        PodAutoscaler kpa = new PodAutoscaler(tenPerPod(0, 0, Duration.ZERO));
        observe(kpa, 60, 35);
        // 35 / 10 = 3.5: 4 pods. The panic window also asks 4, not twice the 4 ready: no panic.
        assertThat(kpa.decide(60 * S, 4, 4)).isEqualTo(4);
    }

    @Test
    void aBurstInThePanicWindowPanicsAndThePodCountDoesNotFallUntilAStableWindowHasPassedWithoutOne() {
        PodAutoscaler kpa = new PodAutoscaler(tenPerPod(0, 0, Duration.ZERO));
        observe(kpa, 54, 0);
        observe(kpa, 6, 50);
        // Stable: 300 / 60 = 5 → 1 pod. Panic: 50 → 5 pods, five times the one ready: panic, 5.
        assertThat(kpa.decide(60 * S, 1, 1)).isEqualTo(5);
        observe(kpa, 10, 0);
        // The panic window is quiet, the stable average 300 / 60 asks 1; panicking, the count holds at 5.
        assertThat(kpa.decide(70 * S, 5, 5)).isEqualTo(5);
        // 60 s after the last panic reading, panic ends and the stable wish rules, halved at most per decision.
        observe(kpa, 50, 0);
        assertThat(kpa.decide(120 * S, 5, 5)).isEqualTo(2);
    }

    @Test
    void aLowerWishWaitsForTheScaleDownDelayAndZeroWaitsForTheGracePeriod() {
        PodAutoscaler kpa = new PodAutoscaler(tenPerPod(0, 0, Duration.ofSeconds(30)));
        observe(kpa, 60, 20);
        assertThat(kpa.decide(60 * S, 2, 2)).isEqualTo(2);
        observe(kpa, 60, 0);
        // The wish is 1 (2 halved), then 0; the delay keeps 2 until 30 s after the wish for 2.
        assertThat(kpa.decide(80 * S, 2, 2)).isEqualTo(2);
        assertThat(kpa.decide(92 * S, 2, 2)).isEqualTo(1);
        // Zero is wished from here; the last pod stays for the 30 s grace period.
        assertThat(kpa.decide(124 * S, 1, 1)).isEqualTo(1);
        assertThat(kpa.decide(150 * S, 1, 1)).isEqualTo(1);
        assertThat(kpa.decide(154 * S, 1, 1)).isZero();
    }

    @Test
    void minAndMaxScaleBoundTheWishAndARequestAtZeroAsksForOnePod() {
        PodAutoscaler bounded = new PodAutoscaler(tenPerPod(2, 3, Duration.ZERO));
        observe(bounded, 60, 0);
        assertThat(bounded.decide(60 * S, 2, 2)).isEqualTo(2);
        observe(bounded, 60, 100);
        assertThat(bounded.decide(120 * S, 2, 2)).isEqualTo(3);
        assertThat(new PodAutoscaler(tenPerPod(0, 0, Duration.ZERO)).fromZero()).isEqualTo(1);
    }

    @Test
    void aServiceGivesItsSettingsAndKnativeDefaultsTheRest() {
        ObjectNode service = Trace.JSON.createObjectNode();
        ObjectNode template = service.putObject("spec").putObject("template");
        ObjectNode annotations = template.putObject("metadata").putObject("annotations");
        annotations.put("autoscaling.knative.dev/target", "50");
        annotations.put("autoscaling.knative.dev/max-scale", "8");
        annotations.put("autoscaling.knative.dev/scale-down-delay", "1m30s");
        template.putObject("spec").put("containerConcurrency", 64);
        PodScaling s = PodScaling.fromService(service, Duration.ofSeconds(3));
        assertThat(s.target()).isEqualTo(50);
        assertThat(s.containerConcurrency()).isEqualTo(64);
        assertThat(s.maxScale()).isEqualTo(8);
        assertThat(s.minScale()).isZero();
        assertThat(s.scaleDownDelay()).isEqualTo(Duration.ofSeconds(90));
        assertThat(s.stableWindow()).isEqualTo(Duration.ofSeconds(60));
        assertThat(s.perPod()).isEqualTo(35.0); // 50 at Knative's 70 %
        assertThat(s.panicWindow()).isEqualTo(Duration.ofSeconds(6));
    }
}
