package im.parley.tuning;

import java.util.ArrayDeque;
import java.util.Iterator;

/**
 * Knative Serving's pod autoscaler (KPA), as its decider works each tick:
 * <ul>
 *   <li>the observed concurrency (requests in pods and waiting in the activator) is averaged per second, then over
 *       the stable window and over the panic window;</li>
 *   <li>each average over the concurrency a pod is sized for gives a wish, rounded up and rate-limited against the
 *       ready pods: at most 1,000 times up, at most halved down;</li>
 *   <li>the panic wish reaching the panic threshold times the ready pods starts panic mode: the count follows the
 *       panic wish and never falls until a whole stable window has passed without that;</li>
 *   <li>otherwise the stable wish holds, kept at its highest over the scale-down delay;</li>
 *   <li>min and max scale bound it, and a wish of zero takes the last pod away only after the grace period.</li>
 * </ul>
 * Pure: the caller gives it the time and each second's average concurrency.
 */
final class PodAutoscaler {

    /** Knative's tick-interval. */
    static final long TICK = 2_000_000_000L;
    private static final double MAX_SCALE_UP_RATE = 1000;
    private static final double MAX_SCALE_DOWN_RATE = 2;

    private final PodScaling settings;
    private final int stableSeconds;
    private final int panicSeconds;
    /** The last stable window's per-second averages, newest last. */
    private final ArrayDeque<Double> seconds = new ArrayDeque<>();
    /** Recent wishes with their times, for the scale-down delay. */
    private final ArrayDeque<long[]> wishes = new ArrayDeque<>();
    private long panicSince = -1;
    private int maxPanicPods;
    private long zeroSince = -1;

    PodAutoscaler(PodScaling settings) {
        this.settings = settings;
        this.stableSeconds = (int) settings.stableWindow().toSeconds();
        this.panicSeconds = (int) Math.max(1, settings.panicWindow().toSeconds());
    }

    /** One second's average concurrency. */
    void observe(double concurrency) {
        seconds.addLast(concurrency);
        while (seconds.size() > stableSeconds) {
            seconds.removeFirst();
        }
    }

    /** The pods wanted at {@code now}, given those ready and those asked for. */
    int decide(long now, int ready, int current) {
        double stable = average(stableSeconds);
        double panic = average(panicSeconds);
        double perPod = settings.perPod();
        int base = Math.max(ready, 1);
        int up = (int) Math.ceil(MAX_SCALE_UP_RATE * base);
        int down = (int) Math.floor(ready / MAX_SCALE_DOWN_RATE);
        int stableWish = clamp((int) Math.ceil(stable / perPod), down, up);
        int panicWish = clamp((int) Math.ceil(panic / perPod), down, up);

        boolean over = panicWish / (double) base >= settings.panicThreshold();
        if (over) {
            if (panicSince < 0) {
                maxPanicPods = ready;
            }
            panicSince = now;
        } else if (panicSince >= 0 && now - panicSince >= settings.stableWindow().toNanos()) {
            panicSince = -1;
            maxPanicPods = 0;
        }
        int wish = stableWish;
        if (panicSince >= 0) {
            wish = Math.max(panicWish, maxPanicPods);
            maxPanicPods = wish;
        }
        wish = delayed(now, wish);
        wish = Math.max(wish, settings.minScale());
        if (settings.maxScale() > 0) {
            wish = Math.min(wish, settings.maxScale());
        }
        if (wish == 0 && current > 0) {
            if (zeroSince < 0) {
                zeroSince = now;
            }
            return now - zeroSince >= settings.scaleToZeroGrace().toNanos() ? 0 : 1;
        }
        zeroSince = -1;
        return wish;
    }

    /** The activator's poke: a request for a revision at zero asks for a pod at once. */
    int fromZero() {
        zeroSince = -1;
        return settings.maxScale() > 0 ? Math.min(1, settings.maxScale()) : 1;
    }

    /** The highest wish over the scale-down delay: going down waits until it has held that long. */
    private int delayed(long now, int wish) {
        long delay = settings.scaleDownDelay().toNanos();
        if (delay == 0) {
            return wish;
        }
        wishes.addLast(new long[] {now, wish});
        while (!wishes.isEmpty() && wishes.peekFirst()[0] <= now - delay) {
            wishes.removeFirst();
        }
        int max = 0;
        for (long[] w : wishes) {
            max = Math.max(max, (int) w[1]);
        }
        return max;
    }

    private double average(int windowSeconds) {
        if (seconds.isEmpty()) {
            return 0;
        }
        double sum = 0;
        int n = 0;
        for (Iterator<Double> it = seconds.descendingIterator(); it.hasNext() && n < windowSeconds; n++) {
            sum += it.next();
        }
        return sum / n;
    }

    private static int clamp(int v, int low, int high) {
        return Math.max(low, Math.min(high, v));
    }
}
