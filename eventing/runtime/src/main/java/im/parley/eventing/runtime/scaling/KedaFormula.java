package im.parley.eventing.runtime.scaling;

import im.parley.eventing.runtime.trigger.ScalingPolicy;

/**
 * KEDA's Kafka scaler, as pure arithmetic ({@link TriggerScaler} adds the HPA behind it).
 * <ul>
 *   <li>A partition's lag is its log-end offset minus the committed offset; with no committed offset it is 1
 *       under {@code latest} and the log-end offset under {@code earliest}.</li>
 *   <li>The total lag is clipped to {@code partitions × lagThreshold}, so desired replicas
 *       {@code ceil(totalLag / lagThreshold)} never exceed the partition count; the result is clamped to
 *       [min, max] by the HPA.</li>
 *   <li>The Trigger is active while the total lag exceeds {@code activationLagThreshold}.</li>
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

    /** The metric KEDA gives the HPA: the total lag, clipped to partitions × lagThreshold. */
    public static long metric(long totalLag, int partitions, ScalingPolicy policy) {
        return Math.min(totalLag, (long) partitions * policy.lagThreshold());
    }

    /** ceil(metric / lagThreshold): what the HPA asks for before stabilization and policies. */
    public static int desired(long totalLag, int partitions, ScalingPolicy policy) {
        long metric = metric(totalLag, partitions, policy);
        return (int) ((metric + policy.lagThreshold() - 1) / policy.lagThreshold());
    }

}
