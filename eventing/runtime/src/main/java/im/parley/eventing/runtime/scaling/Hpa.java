package im.parley.eventing.runtime.scaling;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * One Trigger's HPA, as Kubernetes' controller computes it (horizontal.go: stabilizeRecommendationWithBehaviors,
 * then convertDesiredReplicasWithBehaviorRate): recommendations are stabilized over their windows, then the change
 * is limited by the policies, then clamped to [min, max]. Pure arithmetic over the times it is given.
 */
public final class Hpa {

    private record Recommendation(long at, int replicas) {
    }

    private record ScaleEvent(long at, int change) {
    }

    private final HpaBehavior behavior;
    private final Deque<Recommendation> recommendations = new ArrayDeque<>();
    private final Deque<ScaleEvent> events = new ArrayDeque<>();

    public Hpa(HpaBehavior behavior) {
        this.behavior = behavior;
    }

    /** Kubernetes' default tolerance: a usage ratio within 10% of 1 changes nothing. */
    static final double TOLERANCE = 0.1;

    /**
     * The replicas after one sync, for a metric with an average-value target (KEDA's Kafka scaler: the total lag,
     * and the lag threshold per replica).
     *
     * @param now     monotonic time in nanoseconds
     * @param current running replicas (at least 1: below that KEDA, not the HPA, decides)
     */
    public int next(long now, int current, long metric, long target, int min, int max) {
        double ratio = (double) metric / ((double) target * current);
        int desired = Math.abs(ratio - 1.0) <= TOLERANCE ? current : (int) Math.ceil((double) metric / target);
        forgetOlderThan(now);
        recommendations.addLast(new Recommendation(now, desired));
        int upFloor = Integer.MAX_VALUE;
        int downCeiling = Integer.MIN_VALUE;
        for (Recommendation r : recommendations) {
            if (now - r.at() <= behavior.upStabilization().toNanos()) {
                upFloor = Math.min(upFloor, r.replicas());
            }
            if (now - r.at() <= behavior.downStabilization().toNanos()) {
                downCeiling = Math.max(downCeiling, r.replicas());
            }
        }
        int stabilized = current;
        if (upFloor > current) {
            stabilized = upFloor;
        } else if (downCeiling < current) {
            stabilized = downCeiling;
        }
        int limited = stabilized;
        int added = 0;
        int removed = 0;
        for (ScaleEvent e : events) {
            if (now - e.at() <= behavior.policyPeriod().toNanos()) {
                if (e.change() > 0) {
                    added += e.change();
                } else {
                    removed -= e.change();
                }
            }
        }
        if (stabilized > current) {
            int periodStart = current - added;
            int byPercent = (int) Math.ceil(periodStart * (1 + behavior.upPercent() / 100.0));
            limited = Math.min(stabilized, Math.max(byPercent, periodStart + behavior.upPods()));
        } else if (stabilized < current) {
            int periodStart = current + removed;
            int byPercent = (int) Math.ceil(periodStart * (1 - behavior.downPercent() / 100.0));
            limited = Math.max(stabilized, byPercent);
        }
        int next = Math.max(min, Math.min(max, limited));
        if (next != current) {
            events.addLast(new ScaleEvent(now, next - current));
        }
        return next;
    }

    /** Forgets everything: the Trigger went to zero, and a new HPA starts with the next activation. */
    public void reset() {
        recommendations.clear();
        events.clear();
    }

    private void forgetOlderThan(long now) {
        long keep = Math.max(behavior.upStabilization().toNanos(), behavior.downStabilization().toNanos());
        while (!recommendations.isEmpty() && now - recommendations.peekFirst().at() > keep) {
            recommendations.removeFirst();
        }
        while (!events.isEmpty() && now - events.peekFirst().at() > behavior.policyPeriod().toNanos()) {
            events.removeFirst();
        }
    }
}
