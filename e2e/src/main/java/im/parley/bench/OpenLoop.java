package im.parley.bench;

import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;

/** Sends on a fixed schedule whatever the answers do, so that a slow system shows as latency, not as a lower rate. */
final class OpenLoop {

    private OpenLoop() {
    }

    /** Calls {@code send} with 0 to count - 1, the i-th at start + i / rate. */
    static void run(int rate, int count, IntConsumer send) {
        long interval = 1_000_000_000L / rate;
        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
            long wait = start + i * interval - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            send.accept(i);
        }
    }
}
