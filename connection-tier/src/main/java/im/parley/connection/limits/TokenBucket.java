package im.parley.connection.limits;

/**
 * A token bucket. A connection's is only ever used from the connection's event loop, so it takes no locks; a
 * user's is shared by the user's connections, and {@link UserRates} locks it.
 */
public final class TokenBucket {

    private final double ratePerNano;
    private final double capacity;
    private double tokens;
    private long last;

    public TokenBucket(double ratePerSecond, int burst, long nowNanos) {
        this.ratePerNano = ratePerSecond / 1e9;
        this.capacity = burst;
        this.tokens = burst;
        this.last = nowNanos;
    }

    public boolean tryTake(long nowNanos) {
        tokens = Math.min(capacity, tokens + (nowNanos - last) * ratePerNano);
        last = nowNanos;
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }

    /** Whether the bucket has refilled, so that it is the same as a new one. */
    public boolean fullAt(long nowNanos) {
        return tokens + (nowNanos - last) * ratePerNano >= capacity;
    }
}
