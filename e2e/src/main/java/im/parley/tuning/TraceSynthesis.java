package im.parley.tuning;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A trace made from a few parameters, for tuning before there is traffic to record: a daily curve squeezed into the
 * trace's length (the base rate at its ends, the peak at its middle), bursts on top (a 10,000-member group's
 * receipts, a reconnect storm), and function times drawn from a log-normal around a median.
 */
public final class TraceSynthesis {

    /** Extra events per second from {@code start} for {@code seconds}. */
    public record Burst(int start, int seconds, double rate) {
    }

    /**
     * @param sigma the log-normal's shape: 0.5 puts the 99th percentile at about 3.2 times the median
     */
    public record Shape(String trigger, boolean ordered, int partitions, int seconds, double baseRate, double peakRate,
                        List<Burst> bursts, double medianServiceMs, double sigma) {
    }

    private TraceSynthesis() {
    }

    public static Trace.TriggerTrace of(Shape shape, long seed) {
        List<Double> rates = new ArrayList<>(shape.seconds());
        for (int s = 0; s < shape.seconds(); s++) {
            double phase = 2 * Math.PI * s / shape.seconds();
            double rate = shape.baseRate() + (shape.peakRate() - shape.baseRate()) * (1 - Math.cos(phase)) / 2;
            for (Burst b : shape.bursts()) {
                if (s >= b.start() && s < b.start() + b.seconds()) {
                    rate += b.rate();
                }
            }
            rates.add(rate);
        }
        SplittableRandom random = new SplittableRandom(seed);
        List<Double> service = new ArrayList<>(1000);
        for (int i = 0; i < 1000; i++) {
            double u = Math.max(random.nextDouble(), 1e-12);
            double gaussian = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random.nextDouble());
            service.add(shape.medianServiceMs() * Math.exp(shape.sigma() * gaussian));
        }
        return new Trace.TriggerTrace(shape.trigger(), shape.ordered(), shape.partitions(), rates, service);
    }
}
