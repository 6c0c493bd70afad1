package im.parley.eventing.runtime.scaling;

import im.parley.eventing.runtime.trigger.ScalingPolicy;

/**
 * How a Trigger's replica count moves, as KEDA and the HPA under its ScaledObject move it in a cluster:
 * <ul>
 *   <li>KEDA, every polling interval: a Trigger at zero is activated (to one replica, or min-scale) once its lag
 *       passes the activation threshold; an active one goes back to zero (when min-scale allows it) once the lag has
 *       stayed at or under that threshold for the cooldown period.</li>
 *   <li>The HPA, every sync period while one or more replicas run: KEDA's metric (the total lag; see
 *       {@link KedaFormula} for why it is not clipped at the partitions) over the per-replica target (the lag
 *       threshold), stabilized and rate-limited by {@link Hpa}, clamped to [max(min-scale, 1), max-scale].</li>
 * </ul>
 * Pure: the caller gives it the time and the lag.
 */
public final class TriggerScaler {

    private final ScalingPolicy policy;
    private final HpaBehavior behavior;
    private final Hpa hpa;
    private long lastActive;
    private long lastSync = Long.MIN_VALUE;

    public TriggerScaler(ScalingPolicy policy, HpaBehavior behavior, long now) {
        this.policy = policy;
        this.behavior = behavior;
        this.hpa = new Hpa(behavior);
        this.lastActive = now;
    }

    public int next(long now, int current, long totalLag) {
        boolean active = KedaFormula.active(totalLag, policy);
        if (active) {
            lastActive = now;
        }
        int ceiling = policy.maxScale();
        if (current == 0) {
            hpa.reset();
            lastSync = Long.MIN_VALUE;
            return active ? Math.min(Math.max(policy.minScale(), 1), ceiling) : Math.min(policy.minScale(), ceiling);
        }
        if (policy.minScale() == 0 && !active && now - lastActive >= policy.cooldownPeriod().toNanos()) {
            return 0;
        }
        if (lastSync != Long.MIN_VALUE && now - lastSync < behavior.syncPeriod().toNanos()) {
            return current;
        }
        lastSync = now;
        return hpa.next(now, current, totalLag, policy.lagThreshold(), Math.max(policy.minScale(), 1), ceiling);
    }
}
