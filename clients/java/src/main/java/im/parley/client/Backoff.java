package im.parley.client;

import java.util.function.DoubleSupplier;

/** Reconnect delays with full jitter: random up to min(max, initial × 2^attempt), so that dropped clients spread out. */
public final class Backoff {

    private final long initialMs;
    private final long maxMs;
    private final DoubleSupplier random;
    private int attempt;

    public Backoff(long initialMs, long maxMs, DoubleSupplier random) {
        this.initialMs = initialMs;
        this.maxMs = maxMs;
        this.random = random;
    }

    public long next() {
        long ceiling = Math.min(maxMs, initialMs << Math.min(attempt, 30));
        attempt = Math.min(attempt + 1, 30);
        return (long) (random.getAsDouble() * ceiling);
    }

    public void reset() {
        attempt = 0;
    }
}
