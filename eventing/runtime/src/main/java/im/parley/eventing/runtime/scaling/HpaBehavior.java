package im.parley.eventing.runtime.scaling;

import java.time.Duration;

/**
 * The behaviour of the HPA under a Trigger's ScaledObject. Knative does not set
 * {@code advanced.horizontalPodAutoscalerConfig.behavior}, so a cluster runs Kubernetes' defaults: scale-up
 * stabilization 0 s and at most +100% or +4 pods (whichever is more) per 15 s; scale-down stabilization 300 s
 * (the highest recommendation of the last 300 s wins) and at most -100% per 15 s; a sync every 15 s.
 *
 * @param syncPeriod             how often the HPA recomputes (the controller's --horizontal-pod-autoscaler-sync-period)
 * @param upStabilization        window whose lowest recommendation is taken when scaling up
 * @param downStabilization      window whose highest recommendation is taken when scaling down
 * @param upPercent              scale-up policy: percent of the replicas at the start of the period
 * @param upPods                 scale-up policy: pods per period; the policy allowing more wins
 * @param downPercent            scale-down policy: percent of the replicas at the start of the period
 * @param policyPeriod           the period of every policy
 */
public record HpaBehavior(Duration syncPeriod, Duration upStabilization, Duration downStabilization, int upPercent,
                          int upPods, int downPercent, Duration policyPeriod) {

    public static HpaBehavior kubernetesDefaults() {
        return new HpaBehavior(Duration.ofSeconds(15), Duration.ZERO, Duration.ofSeconds(300), 100, 4, 100,
                Duration.ofSeconds(15));
    }

    /** The same rules on a shorter clock, for tests that cannot wait minutes. */
    public HpaBehavior scaled(double factor) {
        return new HpaBehavior(times(syncPeriod, factor), times(upStabilization, factor), times(downStabilization, factor),
                upPercent, upPods, downPercent, times(policyPeriod, factor));
    }

    private static Duration times(Duration d, double factor) {
        return Duration.ofNanos((long) (d.toNanos() * factor));
    }
}
