package im.parley.tuning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import im.parley.eventing.runtime.scaling.HpaBehavior;
import im.parley.eventing.runtime.trigger.ScalingPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The simulation against cases worked out by hand. */
class SimulationTest {

    static ScalingPolicy policy(int min, int max, int pollingSeconds, int cooldownSeconds, long lagThreshold) {
        return new ScalingPolicy(true, min, max, Duration.ofSeconds(pollingSeconds), Duration.ofSeconds(cooldownSeconds),
                lagThreshold, 0);
    }

    static Candidate candidate(ScalingPolicy policy, Duration coldStart, Duration tick, int inFlight) {
        return new Candidate(policy, HpaBehavior.kubernetesDefaults(), coldStart, tick, inFlight);
    }

    static List<Double> rates(int seconds, double rate) {
        return new ArrayList<>(Collections.nCopies(seconds, rate));
    }

    @Test
    void oneReplicaWithRoomToSpareNeverMakesAnEventWaitAndCostsItsSeconds() {
        Trace.TriggerTrace trace = new Trace.TriggerTrace("t", false, 12, rates(60, 10), List.of(10.0));
        Simulation.Result r = Simulation.run(trace, 1, candidate(policy(1, 1, 10, 30, 100), Duration.ofSeconds(2),
                Duration.ZERO, 100), 1);
        assertThat(r.events()).isBetween(500L, 700L); // 600 expected
        assertThat(r.maxWaitMs()).isZero();
        assertThat(r.replicaSeconds()).isCloseTo(60, within(0.01));
    }

    @Test
    void anOverloadedOrderedPartitionDoesOneEventPerServiceTimeAndTheRestQueues() {
        // One partition, 50 ms per event: 20 done a second against 40 arriving, so after 10 s about 200 wait.
        Trace.TriggerTrace trace = new Trace.TriggerTrace("t", true, 1, rates(10, 40), List.of(50.0));
        Simulation.Result r = Simulation.run(trace, 1, candidate(policy(1, 1, 1, 30, 100_000), Duration.ZERO,
                Duration.ZERO, 100), 7);
        Simulation.Second last = r.seconds().get(9);
        assertThat(last.second()).isEqualTo(10);
        assertThat(last.lag()).isBetween(160L, 240L);
        // The last arrival waits for everything queued ahead of it: about 200 × 50 ms.
        assertThat(r.maxWaitMs()).isBetween(8_000.0, 12_000.0);
    }

    @Test
    void aBurstAtZeroWaitsForThePollThenTheColdStartAndTheTriggerGoesBackToZeroAfterTheCooldown() {
        // 100 events between 5 and 6 s. KEDA polls at 0, 10, 20 … s: at 10 s it activates one replica, which is
        // ready at 12 s and dispatches them all at once (room for 1,000 in flight): waits of 6 to 7 s. The lag is 0
        // from then on; the last active poll was at 10 s, so the poll at 40 s (cooldown 30 s) scales to zero.
        List<Double> rates = rates(60, 0);
        rates.set(5, 100.0);
        Trace.TriggerTrace trace = new Trace.TriggerTrace("t", false, 12, rates, List.of(1.0));
        Simulation.Result r = Simulation.run(trace, 1, candidate(policy(0, 4, 10, 30, 100), Duration.ofSeconds(2),
                Duration.ZERO, 1_000), 3);
        assertThat(r.p50WaitMs()).isBetween(6_000.0, 7_000.0);
        assertThat(r.maxWaitMs()).isBetween(6_000.0, 7_000.0);
        assertThat(r.replicaSeconds()).isCloseTo(30, within(0.01));
        assertThat(r.seconds().get(8).replicas()).as("at 9 s").isZero();
        assertThat(r.seconds().get(10).replicas()).as("at 11 s").isEqualTo(1);
        assertThat(r.seconds().get(40).replicas()).as("at 41 s").isZero();
    }

    @Test
    void theLagKedaReadsCountsWhatIsDoneButNotYetCommitted() {
        // 100 events/s done within a millisecond: at once committed, the lag at each second is about 0. Committed
        // every 0.5 to 1.5 s, it is what was done since the last commit: on average E[I²] / 2E[I] = 0.54 s of
        // events, 54, and never more than 1.5 s, 150 (plus arrival noise).
        Trace.TriggerTrace trace = new Trace.TriggerTrace("t", false, 12, rates(120, 100), List.of(1.0));
        ScalingPolicy fixed = policy(1, 1, 10, 30, 100);
        Simulation.Result atOnce = Simulation.run(trace, 1, candidate(fixed, Duration.ZERO, Duration.ZERO, 100), 2);
        Simulation.Result everySecond = Simulation.run(trace, 1, new Candidate(fixed, HpaBehavior.kubernetesDefaults(),
                Duration.ZERO, Duration.ZERO, 100, Duration.ofSeconds(1), Duration.ZERO), 2);
        double sum = 0;
        for (int s = 5; s < 115; s++) {
            assertThat(atOnce.seconds().get(s).lag()).isLessThanOrEqualTo(2);
            assertThat(everySecond.seconds().get(s).lag()).isLessThanOrEqualTo(190L);
            sum += everySecond.seconds().get(s).lag();
        }
        assertThat(sum / 110).isBetween(40.0, 70.0);
        assertThat(everySecond.maxWaitMs()).as("commits do not hold dispatch back").isZero();
    }

    @Test
    void orderedDeliveryOnAPollTickMakesTheMeanWaitHalfATick() {
        // Few events on many partitions: nothing queues behind another, so an event waits only for the next tick
        // of 200 ms: uniformly 0 to 200 ms, 100 ms at the median.
        Trace.TriggerTrace trace = new Trace.TriggerTrace("t", true, 24, rates(200, 5), List.of(1.0));
        Simulation.Result r = Simulation.run(trace, 1, candidate(policy(1, 1, 10, 30, 100), Duration.ZERO,
                Duration.ofMillis(200), 100), 11);
        assertThat(r.p50WaitMs()).isBetween(85.0, 115.0);
        assertThat(r.maxWaitMs()).isLessThanOrEqualTo(200.0);
    }

    @Test
    void theHpaAsksForLagOverThresholdAtItsSyncLimitedByItsPolicyAndKeepsItThroughItsStabilization() {
        // 400 events/s of 10 ms, at most 2 in flight per replica: one replica does 200/s, so the lag grows by about
        // 200/s. The HPA syncs at 0 s (lag 0: one replica, the minimum) and next at 15 s, with a lag of about 3,000:
        // a threshold of 2,000 asks ceil(3,000 / 2,000) = 2; one of 100 asks 30, held to +4 pods (more than
        // +100 %) per 15 s: 5. Both then drain or hold the lag, and scaling down waits for the 300 s window.
        Trace.TriggerTrace trace = new Trace.TriggerTrace("t", false, 24, rates(120, 400), List.of(10.0));
        Simulation.Result tight = Simulation.run(trace, 1, candidate(policy(1, 20, 5, 30, 100), Duration.ofSeconds(1),
                Duration.ZERO, 2), 5);
        Simulation.Result loose = Simulation.run(trace, 1, candidate(policy(1, 20, 5, 30, 2_000), Duration.ofSeconds(1),
                Duration.ZERO, 2), 5);
        assertThat(tight.seconds().get(14).replicas()).as("at 15 s").isEqualTo(5);
        assertThat(loose.seconds().get(14).replicas()).as("at 15 s").isEqualTo(2);
        assertThat(tight.seconds().get(119).replicas()).isEqualTo(5);
        assertThat(loose.seconds().get(119).lag()).as("two replicas only hold the lag").isGreaterThan(2_000);
        assertThat(tight.seconds().get(119).lag()).as("five drain it").isLessThan(100);
        assertThat(tight.replicaSeconds()).isGreaterThan(loose.replicaSeconds());
        assertThat(tight.p99WaitMs()).isLessThan(loose.p99WaitMs());
        // Same seed, same arrivals: the candidates are compared on the same events.
        assertThat(tight.events()).isEqualTo(loose.events());
    }

    static Candidate withPods(ScalingPolicy policy, int inFlight, PodScaling pods) {
        return new Candidate(policy, HpaBehavior.kubernetesDefaults(), Duration.ZERO, Duration.ZERO, inFlight, Duration.ZERO,
                Duration.ZERO, pods);
    }

    static PodScaling pods(int limit, double target, int min, int max, Duration coldStart) {
        return new PodScaling(limit, target, 1.0, Duration.ofSeconds(60), 10, 2.0, min, max, Duration.ZERO,
                Duration.ofSeconds(30), coldStart);
    }

    @Test
    void knativeSizesTheFunctionPodsToTheConcurrencyOverItsTarget() {
        // 100 events/s of 100 ms each: 10 requests in the pods at any time; at 4 per pod, ceil(2.5) = 3 pods, none
        // limited (no containerConcurrency), so nothing waits. Pod-seconds: 1 pod from the start, 3 soon after.
        Trace.TriggerTrace trace = new Trace.TriggerTrace("t", false, 12, rates(180, 100), List.of(100.0));
        Simulation.Result r = Simulation.run(trace, 1, withPods(policy(1, 1, 10, 30, 100_000), 1_000,
                pods(0, 4, 1, 0, Duration.ZERO)), 4);
        assertThat(r.seconds().get(120).pods()).isEqualTo(3);
        assertThat(r.seconds().get(179).pods()).isEqualTo(3);
        assertThat(r.maxWaitMs()).isZero();
        assertThat(r.podSeconds()).isBetween(480.0, 540.0);
        assertThat(r.cost()).isEqualTo(r.replicaSeconds() + r.podSeconds());
    }

    @Test
    void aRequestAtZeroPodsWaitsForAPodsColdStartAndTheLastPodGoesAfterTheWindowAndTheGrace() {
        // 10 events between 5 and 6 s; the first asks for a pod, ready 2 s later, which takes them all: waits of
        // 1 to 2 s. With no requests for a whole window (60 s) the wish is zero, and 30 s of grace later the pod goes.
        List<Double> rates = rates(150, 0);
        rates.set(5, 10.0);
        Trace.TriggerTrace trace = new Trace.TriggerTrace("t", false, 12, rates, List.of(1.0));
        Simulation.Result r = Simulation.run(trace, 1, withPods(policy(1, 1, 10, 30, 100), 100,
                pods(0, 10, 0, 0, Duration.ofSeconds(2))), 9);
        assertThat(r.events()).isBetween(3L, 20L);
        assertThat(r.maxWaitMs()).isBetween(1_000.0, 2_000.0);
        assertThat(r.seconds().get(3).pods()).isZero();
        assertThat(r.seconds().get(50).pods()).isEqualTo(1);
        assertThat(r.seconds().get(120).pods()).isZero();
        assertThat(r.podSeconds()).isBetween(80.0, 100.0);
    }

    @Test
    void aPodAtItsConcurrencyLimitHoldsRequestsInTheActivatorAndTheLagCountsThem() {
        // One pod taking one request at a time, 50 ms each: 20 done a second against 40 arriving, so after 10 s
        // about 200 wait in the activator, all of them in the Trigger's lag.
        Trace.TriggerTrace trace = new Trace.TriggerTrace("t", false, 12, rates(10, 40), List.of(50.0));
        Simulation.Result r = Simulation.run(trace, 1, withPods(policy(1, 1, 1, 30, 100_000), 1_000,
                pods(1, 1, 1, 1, Duration.ZERO)), 7);
        assertThat(r.seconds().get(9).lag()).isBetween(160L, 240L);
        assertThat(r.maxWaitMs()).isBetween(8_000.0, 12_000.0);
    }
}
