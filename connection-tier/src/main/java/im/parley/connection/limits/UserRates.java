package im.parley.connection.limits;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One token bucket per user across the user's connections on this node, so more devices do not buy a user more
 * frames. Buckets that have refilled are dropped by {@link #sweep}: a full bucket is the same as a new one.
 */
public final class UserRates {

    private final double ratePerSecond;
    private final int burst;
    private final Map<String, TokenBucket> buckets = new ConcurrentHashMap<>();

    public UserRates(double ratePerSecond, int burst) {
        this.ratePerSecond = ratePerSecond;
        this.burst = burst;
    }

    public boolean tryTake(String userId, long nowNanos) {
        TokenBucket bucket = buckets.computeIfAbsent(userId, u -> new TokenBucket(ratePerSecond, burst, nowNanos));
        synchronized (bucket) {
            return bucket.tryTake(nowNanos);
        }
    }

    public void sweep(long nowNanos) {
        buckets.values().removeIf(bucket -> {
            synchronized (bucket) {
                return bucket.fullAt(nowNanos);
            }
        });
    }

    public int size() {
        return buckets.size();
    }
}
