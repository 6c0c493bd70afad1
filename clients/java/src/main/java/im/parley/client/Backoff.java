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

    /**
     * How long a message not yet acked waits before it goes again after its {@code transmissions}-th time: {@code
     * firstMs}, doubling with each time, at most {@code maxMs}, so that a backlog during an outage is not multiplied
     * by resends.
     */
    public static long resendMs(int transmissions, long firstMs, long maxMs) {
        return Math.min(maxMs, firstMs << Math.min(Math.max(transmissions - 1, 0), 20));
    }
}
