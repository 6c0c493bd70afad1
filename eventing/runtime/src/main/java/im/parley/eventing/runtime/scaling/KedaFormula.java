package im.parley.eventing.runtime.scaling;

import im.parley.eventing.runtime.trigger.ScalingPolicy;
import java.time.Duration;

/**
 * KEDA's Kafka scaler and the HPA behind it, as pure arithmetic.
 * <ul>
 *   <li>A partition's lag is its log-end offset minus the committed offset; with no committed offset it is 1
 *       under {@code latest} and the log-end offset under {@code earliest}.</li>
 *   <li>The total lag is clipped to {@code partitions × lagThreshold}, so desired replicas
 *       {@code ceil(totalLag / lagThreshold)} never exceed the partition count; the result is clamped to
 *       [min, max].</li>
 *   <li>The Trigger is active while the total lag exceeds {@code activationLagThreshold}; an idle Trigger
 *       steps down to zero once {@code cooldownPeriod} has passed since it was last active.</li>
 * </ul>
 */
public final class KedaFormula {

    private KedaFormula() {
    }

    public static long partitionLag(Long committed, long logEnd, String offsetResetPolicy) {
        if (committed == null) {
            return "earliest".equals(offsetResetPolicy) ? logEnd : 1;
        }
        return Math.max(0, logEnd - committed);
    }

    public static boolean active(long totalLag, ScalingPolicy policy) {
        return totalLag > policy.activationLagThreshold();
    }

    /** ceil(min(totalLag, partitions × lagThreshold) / lagThreshold). */
    public static int desired(long totalLag, int partitions, ScalingPolicy policy) {
        long clipped = Math.min(totalLag, (long) partitions * policy.lagThreshold());
        return (int) ((clipped + policy.lagThreshold() - 1) / policy.lagThreshold());
    }

    /**
     * The replica count for the next period.
     *
     * @param sinceLastActive time since the lag last exceeded the activation threshold
     */
    public static int replicas(int current, long totalLag, int partitions, ScalingPolicy policy, Duration sinceLastActive) {
        int ceiling = Math.min(policy.maxScale(), partitions);
        int floor = Math.max(policy.minScale(), 1);
        int desired = desired(totalLag, partitions, policy);
        if (active(totalLag, policy)) {
            return clamp(desired, floor, ceiling);
        }
        if (current == 0) {
            return Math.min(policy.minScale(), ceiling);
        }
        if (policy.minScale() == 0 && sinceLastActive.compareTo(policy.cooldownPeriod()) >= 0) {
            return 0;
        }
        return clamp(desired, floor, ceiling);
    }

    private static int clamp(int value, int min, int max) {
        return Math.max(min, Math.min(max, value));
    }
}
