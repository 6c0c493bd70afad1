package im.parley.tuning;

import im.parley.eventing.runtime.trigger.ScalingPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Searches a Trigger's scaling settings for the cheapest that meet a wait objective: every combination of the knobs
 * an operator sets on a Trigger (lag threshold, polling interval, cooldown, min-scale) within its max-scale, and of
 * its Service's min-scale (0 or 1) when its pods are modelled, each replayed on the same arrivals. Cheapest is the
 * fewest consumer replica-seconds plus function pod-seconds. The activation threshold stays KEDA's default, 0: Knative does not pass the
 * annotation on to KEDA (see {@link ScalingPolicy}).
 */
public final class Tuner {

    static final long[] LAG_THRESHOLDS = {1, 5, 10, 20, 50, 100, 200, 500};
    static final int[] POLLING_SECONDS = {5, 10, 30};
    static final int[] COOLDOWN_SECONDS = {30, 120, 300};
    static final int[] MIN_SCALES = {0, 1};
    static final int[] POD_MIN_SCALES = {0, 1};

    /** One candidate and what it gave. */
    public record Trial(Candidate candidate, Simulation.Result result) {

        boolean meets(double sloP99Ms) {
            return result.p99WaitMs() <= sloP99Ms;
        }
    }

    /**
     * @param recommended the cheapest trial meeting the objective, or the cheapest with about the lowest p99 when none
     *                    does
     * @param meets       whether the recommendation meets the objective
     * @param front       the trade-off: each trial that waits less than every cheaper one, cheapest first
     */
    public record Tuning(String trigger, double sloP99Ms, Trial current, Trial recommended, boolean meets, List<Trial> front,
                         List<Trial> trials) {
    }

    private Tuner() {
    }

    public static Tuning tune(Trace.TriggerTrace trace, double stepSeconds, Candidate current, double sloP99Ms, long seed) {
        List<Trial> trials = new ArrayList<>();
        int max = current.policy().maxScale();
        for (long threshold : LAG_THRESHOLDS) {
            for (int polling : POLLING_SECONDS) {
                for (int cooldown : COOLDOWN_SECONDS) {
                    for (int min : MIN_SCALES) {
                        ScalingPolicy policy = new ScalingPolicy(true, Math.min(min, max), max, Duration.ofSeconds(polling),
                                Duration.ofSeconds(cooldown), threshold, ScalingPolicy.ACTIVATION_LAG_THRESHOLD);
                        for (PodScaling pods : podChoices(current.pods())) {
                            Candidate candidate = current.with(policy, pods);
                            trials.add(new Trial(candidate, Simulation.run(trace, stepSeconds, candidate, seed)));
                        }
                    }
                }
            }
        }
        Trial now = new Trial(current, Simulation.run(trace, stepSeconds, current, seed));
        // At equal cost and wait, the fewest changes to what runs now.
        Comparator<Trial> cheapest = Comparator.comparingDouble((Trial t) -> t.result().cost())
                .thenComparingDouble(t -> t.result().p99WaitMs()).thenComparingInt(t -> changes(t.candidate(), current));
        // When nothing meets the objective: the cheapest of those within 1 % (and 1 ms) of the lowest wait.
        double lowest = trials.stream().mapToDouble(t -> t.result().p99WaitMs()).min().orElseThrow();
        Trial recommended = trials.stream().filter(t -> t.meets(sloP99Ms)).min(cheapest)
                .orElseGet(() -> trials.stream().filter(t -> t.meets(lowest * 1.01 + 1)).min(cheapest).orElseThrow());
        return new Tuning(trace.name(), sloP99Ms, now, recommended, recommended.meets(sloP99Ms), front(trials, cheapest), trials);
    }

    /** The knobs the tuner turns that differ between two candidates. */
    static int changes(Candidate a, Candidate b) {
        ScalingPolicy p = a.policy();
        ScalingPolicy q = b.policy();
        int n = (p.lagThreshold() != q.lagThreshold() ? 1 : 0) + (!p.pollingInterval().equals(q.pollingInterval()) ? 1 : 0)
                + (!p.cooldownPeriod().equals(q.cooldownPeriod()) ? 1 : 0) + (p.minScale() != q.minScale() ? 1 : 0);
        return n + (a.pods() != null && b.pods() != null && a.pods().minScale() != b.pods().minScale() ? 1 : 0);
    }

    private static List<PodScaling> podChoices(PodScaling pods) {
        if (pods == null) {
            return java.util.Collections.singletonList(null);
        }
        List<PodScaling> choices = new ArrayList<>();
        for (int min : POD_MIN_SCALES) {
            choices.add(pods.withMinScale(pods.maxScale() == 0 ? min : Math.min(min, pods.maxScale())));
        }
        return choices;
    }

    static List<Trial> front(List<Trial> trials, Comparator<Trial> cheapest) {
        List<Trial> front = new ArrayList<>();
        double best = Double.MAX_VALUE;
        for (Trial t : trials.stream().sorted(cheapest).toList()) {
            if (t.result().p99WaitMs() < best) {
                front.add(t);
                best = t.result().p99WaitMs();
            }
        }
        return front;
    }
}
