package im.parley.eventing.runtime.scaling;

import im.parley.eventing.runtime.trigger.ScalingPolicy;

/**
 * KEDA's Kafka scaler, as pure arithmetic ({@link TriggerScaler} adds the HPA behind it).
 * <ul>
 *   <li>A partition's lag is its log-end offset minus the committed offset; with no committed offset it is 1
 *       under {@code latest} and the log-end offset under {@code earliest}.</li>
 *   <li>Desired replicas are {@code ceil(totalLag / lagThreshold)}, clamped to [min, max] by the HPA. The lag is
 *       not clipped at {@code partitions × lagThreshold}: Knative's trigger sets KEDA's {@code allowIdleConsumers}
 *       once its consumer group is placed, so replicas beyond the partitions are started and sit idle.</li>
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

    /** ceil(lag / lagThreshold): what the HPA asks for before stabilization and policies. */
    public static int desired(long totalLag, ScalingPolicy policy) {
        return (int) Math.min(Integer.MAX_VALUE, (totalLag + policy.lagThreshold() - 1) / policy.lagThreshold());
    }

}
