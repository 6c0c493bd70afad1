package im.parley.tuning;

import im.parley.eventing.runtime.scaling.TriggerScaler;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.PriorityQueue;
import java.util.SplittableRandom;

/**
 * Replays one Trigger's trace against candidate settings, event by event. Replicas move exactly as the local
 * runtime moves them, through the same {@link TriggerScaler} (KEDA's formula and activation, the HPA's
 * stabilization and policies), asked every polling interval with the lag of that moment. Around it, the model:
 * <ul>
 *   <li>events arrive as a Poisson process at the step's rate, each on a random partition;</li>
 *   <li>partition p belongs to replica p mod replicas; replicas beyond the partitions sit idle;</li>
 *   <li>ordered: one event in flight per partition, and an event is seen at the consumer's next poll tick;
 *       unordered: up to {@code inFlight} events per replica;</li>
 *   <li>a Trigger brought up from zero dispatches nothing until its cold start is over;</li>
 *   <li>each event's function time is drawn from the trace's samples;</li>
 *   <li>the lag is every event taken in and not yet committed: done offsets are committed about every commit
 *       interval (from half to one and a half of it, drawn), so that KEDA's polls meet commits at every phase rather
 *       than always just after or just before one;</li>
 *   <li>when replicas change between two non-zero counts, dispatch pauses while partitions move;</li>
 *   <li>when the candidate has {@link PodScaling pods}, a dispatched event is a request to the Trigger's Knative
 *       Service: it waits in the activator while every ready pod is at its concurrency limit or none is ready, and
 *       {@link PodAutoscaler Knative's autoscaler} sizes the pods every two seconds from the requests in the
 *       system; a pod asked for takes its cold start before its first request. A Service several Triggers call is
 *       sized per Trigger here.</li>
 * </ul>
 * An event's wait runs from its arrival to its function starting. The cost is consumer replica-seconds plus
 * function pod-seconds.
 */
public final class Simulation {

    /** What one run gave. Waits are from arrival to dispatch, in milliseconds. */
    public record Result(double p50WaitMs, double p99WaitMs, double maxWaitMs, double replicaSeconds, double podSeconds,
                         long events, List<Second> seconds) {

        /** Consumer replicas and function pods, in pod-seconds. */
        public double cost() {
            return replicaSeconds + podSeconds;
        }
    }

    /** One second of the run: replicas, function pods and lag at its end, arrivals in it, and its longest wait. */
    public record Second(int second, int replicas, int pods, long lag, long arrivals, double maxWaitMs) {
    }

    private static final int ARRIVALS = 0;
    private static final int ARRIVE = 6;
    private static final int DONE = 1;
    private static final int TRY = 2;
    private static final int SCALE = 3;
    private static final int READY = 4;
    private static final int SAMPLE = 5;
    private static final int COMMIT = 7;
    private static final int POD_READY = 8;
    private static final int POD_TICK = 9;
    private static final long SECOND = 1_000_000_000L;
    /** How long after the trace's end the run goes on, to finish what is queued. */
    private static final long DRAIN = 600 * SECOND;

    private record Event(long at, int kind, int partition, long serial) implements Comparable<Event> {
        @Override
        public int compareTo(Event o) {
            int byTime = Long.compare(at, o.at);
            return byTime != 0 ? byTime : Long.compare(serial, o.serial);
        }
    }

    private final Trace.TriggerTrace trace;
    private final double stepSeconds;
    private final Candidate candidate;
    private final SplittableRandom random;
    /** Function times come from a stream of their own, so that every candidate sees the same arrivals. */
    private final SplittableRandom service;
    private final SplittableRandom commits;

    private final PriorityQueue<Event> agenda = new PriorityQueue<>();
    private long serial;
    private final ArrayDeque<Long>[] queues;
    private final int[] inFlight;
    private final boolean[] tryScheduled;
    private int replicas;
    private long readyAt;
    private long lag;
    private long doneUncommitted;
    private long arrivedThisSecond;
    private double maxWaitThisSecond;
    private double replicaNanos;
    private long lastChange;
    private long[] waits = new long[1024];
    private int waitCount;
    private final List<Second> seconds = new ArrayList<>();
    private long end;

    /** Knative's autoscaler for the function's pods, or null when the function runs in the consumer. */
    private final PodAutoscaler podScaler;
    /** Requests waiting for a pod: partition and arrival time. */
    private final ArrayDeque<long[]> activator = new ArrayDeque<>();
    /** When each pod asked for is (or was) ready, in the order asked. */
    private final List<Long> podReadyAt = new ArrayList<>();
    private int busy;
    private double concurrencyNanos;
    private long concurrencyAt;
    private double podNanos;
    private long lastPodChange;

    @SuppressWarnings("unchecked")
    private Simulation(Trace.TriggerTrace trace, double stepSeconds, Candidate candidate, long seed) {
        this.trace = trace;
        this.stepSeconds = stepSeconds;
        this.candidate = candidate;
        this.random = new SplittableRandom(seed);
        this.service = new SplittableRandom(seed ^ 0x5DEECE66DL);
        this.commits = new SplittableRandom(seed ^ 0xC0FFEEL);
        this.queues = new ArrayDeque[trace.partitions()];
        for (int p = 0; p < queues.length; p++) {
            queues[p] = new ArrayDeque<>();
        }
        this.inFlight = new int[trace.partitions()];
        this.tryScheduled = new boolean[trace.partitions()];
        this.podScaler = candidate.pods() == null ? null : new PodAutoscaler(candidate.pods());
    }

    /** One run; the same seed gives the same arrivals and function times to every candidate. */
    public static Result run(Trace.TriggerTrace trace, double stepSeconds, Candidate candidate, long seed) {
        return new Simulation(trace, stepSeconds, candidate, seed).run();
    }

    private Result run() {
        end = (long) (trace.seconds(stepSeconds) * SECOND);
        TriggerScaler scaler = new TriggerScaler(candidate.policy(), candidate.hpa(), 0);
        // The trace starts mid-day: a Trigger with traffic in its first step is already up, with a pod behind it.
        boolean running = trace.rates().get(0) > 0;
        replicas = Math.min(Math.max(candidate.policy().minScale(), running ? 1 : 0), candidate.policy().maxScale());
        schedule(0, ARRIVALS, 0);
        schedule(0, SCALE, -1);
        schedule(SECOND, SAMPLE, -1);
        long commit = candidate.commitInterval().toNanos();
        if (commit > 0) {
            schedule(nextCommit(0, commit), COMMIT, -1);
        }
        if (podScaler != null) {
            for (int i = 0; i < Math.max(candidate.pods().minScale(), running ? 1 : 0); i++) {
                podReadyAt.add(0L);
            }
            schedule(PodAutoscaler.TICK, POD_TICK, -1);
        }
        long now = 0;
        while (!agenda.isEmpty()) {
            Event e = agenda.poll();
            now = e.at();
            if (now > end && lag == 0 || now > end + DRAIN) {
                break;
            }
            switch (e.kind()) {
                case ARRIVALS -> arrivals(e.partition(), now);
                case ARRIVE -> {
                    queues[e.partition()].addLast(now);
                    lag++;
                    arrivedThisSecond++;
                    dispatch(e.partition(), now);
                }
                case DONE -> done(e.partition(), now);
                case TRY -> {
                    tryScheduled[e.partition()] = false;
                    dispatch(e.partition(), now);
                }
                case SCALE -> {
                    scale(scaler.next(now, replicas, lag), now);
                    if (now <= end || lag > 0) {
                        schedule(now + candidate.policy().pollingInterval().toNanos(), SCALE, -1);
                    }
                }
                case READY -> dispatchAll(now);
                case COMMIT -> {
                    lag -= doneUncommitted;
                    doneUncommitted = 0;
                    if (now <= end || lag > 0) {
                        schedule(nextCommit(now, commit), COMMIT, -1);
                    }
                }
                case POD_READY -> startWaiting(now);
                case POD_TICK -> {
                    resize(podScaler.decide(now, readyPods(now), podReadyAt.size()), now);
                    if (now <= end || lag > 0) {
                        schedule(now + PodAutoscaler.TICK, POD_TICK, -1);
                    }
                }
                case SAMPLE -> {
                    if (podScaler != null) {
                        account(now);
                        podScaler.observe(concurrencyNanos / SECOND);
                        concurrencyNanos = 0;
                    }
                    seconds.add(new Second((int) (now / SECOND), replicas, podReadyAt.size(), lag, arrivedThisSecond,
                            maxWaitThisSecond));
                    arrivedThisSecond = 0;
                    maxWaitThisSecond = 0;
                    if (now <= end || lag > 0) {
                        schedule(now + SECOND, SAMPLE, -1);
                    }
                }
                default -> throw new IllegalStateException("event kind " + e.kind());
            }
        }
        replicaNanos += (double) replicas * (Math.min(now, end) - Math.min(lastChange, end));
        podNanos += (double) podReadyAt.size() * (Math.min(now, end) - Math.min(lastPodChange, end));
        long[] sorted = Arrays.copyOf(waits, waitCount);
        Arrays.sort(sorted);
        return new Result(percentile(sorted, 0.50), percentile(sorted, 0.99),
                sorted.length == 0 ? 0 : sorted[sorted.length - 1] / 1e6, replicaNanos / SECOND, podNanos / SECOND,
                waitCount, seconds);
    }

    private long nextCommit(long now, long interval) {
        return now + interval / 2 + commits.nextLong(interval);
    }

    private void schedule(long at, int kind, int partition) {
        agenda.add(new Event(at, kind, partition, serial++));
    }

    /** One step's arrivals, each scheduled at its time; the next step is scheduled at this one's end. */
    private void arrivals(int step, long now) {
        if (step >= trace.rates().size()) {
            return;
        }
        long length = (long) (stepSeconds * SECOND);
        double mean = trace.rates().get(step) * stepSeconds;
        int count = poisson(mean);
        for (int i = 0; i < count; i++) {
            schedule(now + (long) (random.nextDouble() * length), ARRIVE, random.nextInt(trace.partitions()));
        }
        schedule(now + length, ARRIVALS, step + 1);
    }

    private void scheduleTry(int partition, long at) {
        if (!tryScheduled[partition]) {
            tryScheduled[partition] = true;
            schedule(at, TRY, partition);
        }
    }

    private void dispatchAll(long now) {
        for (int p = 0; p < queues.length; p++) {
            dispatch(p, now);
        }
    }

    private void dispatch(int partition, long now) {
        ArrayDeque<Long> queue = queues[partition];
        while (replicas > 0 && now >= readyAt && !queue.isEmpty()) {
            long arrived = queue.peekFirst();
            long seen = seenAt(arrived);
            if (seen > now) {
                scheduleTry(partition, seen);
                return;
            }
            if (trace.ordered() ? inFlight[partition] > 0 : replicaInFlight(partition) >= candidate.inFlight()) {
                return;
            }
            queue.pollFirst();
            inFlight[partition]++;
            if (podScaler == null) {
                begin(partition, arrived, now);
            } else {
                account(now);
                activator.addLast(new long[] {partition, arrived});
                if (podReadyAt.isEmpty()) {
                    resize(podScaler.fromZero(), now);
                }
                startWaiting(now);
            }
        }
    }

    /** The function starts on an event: its wait ends, and it is done after a drawn function time. */
    private void begin(int partition, long arrived, long now) {
        long wait = now - arrived;
        if (waitCount == waits.length) {
            waits = Arrays.copyOf(waits, waits.length * 2);
        }
        waits[waitCount++] = wait;
        maxWaitThisSecond = Math.max(maxWaitThisSecond, wait / 1e6);
        double ms = trace.serviceMs().get(service.nextInt(trace.serviceMs().size()));
        schedule(now + (long) (ms * 1e6), DONE, partition);
    }

    /** Requests leave the activator while a ready pod has room. */
    private void startWaiting(long now) {
        int ready = readyPods(now);
        int limit = candidate.pods().containerConcurrency();
        while (!activator.isEmpty() && ready > 0 && (limit == 0 || busy < ready * limit)) {
            long[] request = activator.pollFirst();
            busy++;
            begin((int) request[0], request[1], now);
        }
    }

    private int readyPods(long now) {
        int ready = 0;
        for (long at : podReadyAt) {
            ready += at <= now ? 1 : 0;
        }
        return ready;
    }

    /** Adds the requests in the system since the last change to this second's concurrency. */
    private void account(long now) {
        concurrencyNanos += (double) (busy + activator.size()) * (now - concurrencyAt);
        concurrencyAt = now;
    }

    /** New pods are ready after their cold start; pods taken away are the last asked for. */
    private void resize(int next, long now) {
        int current = podReadyAt.size();
        if (next == current) {
            return;
        }
        podNanos += (double) current * (Math.min(now, end) - Math.min(lastPodChange, end));
        lastPodChange = now;
        if (next > current) {
            long ready = now + candidate.pods().coldStart().toNanos();
            for (int i = current; i < next; i++) {
                podReadyAt.add(ready);
            }
            schedule(ready, POD_READY, -1);
        } else {
            podReadyAt.subList(next, current).clear();
        }
    }

    /** An ordered consumer sees a record at its next poll tick; an unordered one at once. */
    private long seenAt(long arrived) {
        long tick = candidate.orderedTick().toNanos();
        return !trace.ordered() || tick == 0 ? arrived : (arrived + tick - 1) / tick * tick;
    }

    private int replicaInFlight(int partition) {
        int owner = partition % replicas;
        int sum = 0;
        for (int p = owner; p < inFlight.length; p += replicas) {
            sum += inFlight[p];
        }
        return sum;
    }

    private void done(int partition, long now) {
        inFlight[partition]--;
        if (podScaler != null) {
            account(now);
            busy--;
            startWaiting(now);
        }
        if (candidate.commitInterval().isZero()) {
            lag--;
        } else {
            doneUncommitted++;
        }
        if (trace.ordered() || replicas == 0) {
            dispatch(partition, now);
        } else {
            for (int p = partition % replicas; p < queues.length; p += replicas) {
                dispatch(p, now);
            }
        }
    }

    private void scale(int next, long now) {
        if (next == replicas) {
            return;
        }
        replicaNanos += (double) replicas * (now - lastChange);
        lastChange = now;
        if (replicas == 0) {
            readyAt = now + candidate.coldStart().toNanos();
            schedule(readyAt, READY, -1);
        } else if (next > 0 && !candidate.rebalancePause().isZero()) {
            readyAt = Math.max(readyAt, now + candidate.rebalancePause().toNanos());
            schedule(readyAt, READY, -1);
        }
        replicas = next;
        if (replicas > 0) {
            dispatchAll(now);
        }
    }

    private int poisson(double mean) {
        return poisson(random, mean);
    }

    /** A Poisson draw: Knuth's product method, or the normal approximation for large means, where it underflows. */
    public static int poisson(SplittableRandom random, double mean) {
        if (mean <= 0) {
            return 0;
        }
        if (mean > 500) {
            double u = Math.max(random.nextDouble(), 1e-12);
            double gaussian = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random.nextDouble());
            return (int) Math.max(0, Math.round(mean + Math.sqrt(mean) * gaussian));
        }
        double limit = Math.exp(-mean);
        double product = random.nextDouble();
        int count = 0;
        while (product > limit) {
            count++;
            product *= random.nextDouble();
        }
        return count;
    }

    private static double percentile(long[] sorted, double q) {
        if (sorted.length == 0) {
            return 0;
        }
        return sorted[(int) Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] / 1e6;
    }
}
