package im.parley.tuning;

import im.parley.eventing.runtime.scaling.HpaBehavior;
import im.parley.eventing.runtime.trigger.ScalingPolicy;
import java.time.Duration;

/**
 * Settings to try on a Trigger, and what the cluster adds to them.
 *
 * @param policy         the KEDA annotations (lag threshold, activation threshold, polling interval, cooldown, min
 *                       and max scale), as {@link ScalingPolicy} reads them from a Trigger
 * @param hpa            the HPA's behaviour under the ScaledObject (Knative sets none: Kubernetes' defaults)
 * @param coldStart      from a replica being asked for at zero to its first dispatch (P7, measured)
 * @param orderedTick    how often an ordered consumer polls its partitions (Knative's dispatcher: 200 ms; 0 locally)
 * @param inFlight       events one replica dispatches at once when unordered (its function pods' concurrency)
 * @param commitInterval how often done offsets are committed; the lag KEDA reads counts what is done and not yet
 *                       committed (Knative's dispatcher: 5 s; the local runtime: 1 s; 0: at once)
 * @param rebalancePause how long dispatch stops when replicas change between two non-zero counts and partitions
 *                       move (the local runtime: about 0.3 s, the dispatch benchmark's scale-up stall)
 * @param pods           the Knative Service the Trigger calls, sized by Knative's autoscaler; null when the function
 *                       runs in the consumer's own process (the local runtime)
 */
public record Candidate(ScalingPolicy policy, HpaBehavior hpa, Duration coldStart, Duration orderedTick, int inFlight,
                        Duration commitInterval, Duration rebalancePause, PodScaling pods) {

    /** The function in the consumer's process, as the local runtime runs it. */
    public Candidate(ScalingPolicy policy, HpaBehavior hpa, Duration coldStart, Duration orderedTick, int inFlight,
                     Duration commitInterval, Duration rebalancePause) {
        this(policy, hpa, coldStart, orderedTick, inFlight, commitInterval, rebalancePause, null);
    }

    /** Offsets committed at once and no rebalance pause: the model's simplest form, for worked examples. */
    public Candidate(ScalingPolicy policy, HpaBehavior hpa, Duration coldStart, Duration orderedTick, int inFlight) {
        this(policy, hpa, coldStart, orderedTick, inFlight, Duration.ZERO, Duration.ZERO);
    }

    public Candidate with(ScalingPolicy other) {
        return with(other, pods);
    }

    public Candidate with(ScalingPolicy other, PodScaling otherPods) {
        return new Candidate(other, hpa, coldStart, orderedTick, inFlight, commitInterval, rebalancePause, otherPods);
    }

    /** The policy's knobs in one line, for reports. */
    public String describe() {
        return "lag-threshold " + policy.lagThreshold() + ", activation " + policy.activationLagThreshold() + ", polling "
                + policy.pollingInterval().toSeconds() + " s, cooldown " + policy.cooldownPeriod().toSeconds() + " s, scale "
                + policy.minScale() + ".." + policy.maxScale() + (pods == null ? "" : "; function pods " + pods.minScale()
                + ".." + (pods.maxScale() == 0 ? "∞" : pods.maxScale()));
    }
}
