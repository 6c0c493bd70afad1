package im.parley.eventing.runtime.consumer;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * The records of each assigned partition waiting to be dispatched, and the rule for which may start: Knative's
 * ordered and unordered consumers differ only here. Guarded by the owning replica.
 */
public abstract sealed class Lanes permits Lanes.Ordered, Lanes.Unordered {

    /** The lanes for a Trigger's delivery order. */
    public static Lanes of(boolean ordered, int maxInFlight) {
        return ordered ? new Ordered() : new Unordered(maxInFlight);
    }

    static final class Lane {
        final ArrayDeque<ConsumerRecord<String, byte[]>> waiting = new ArrayDeque<>();
        int inFlight;
        boolean paused;
    }

    final Map<TopicPartition, Lane> lanes = new LinkedHashMap<>();
    int inFlight;

    public void assigned(TopicPartition partition) {
        lanes.put(partition, new Lane());
    }

    public void revoked(TopicPartition partition) {
        lanes.remove(partition);
    }

    public void add(ConsumerRecord<String, byte[]> record) {
        Lane lane = lanes.get(new TopicPartition(record.topic(), record.partition()));
        if (lane != null) {
            lane.waiting.add(record);
        }
    }

    /** The records that may start now; each counts as in flight until {@link #finished}. */
    public abstract List<ConsumerRecord<String, byte[]>> startable();

    public void finished(TopicPartition partition) {
        Lane lane = lanes.get(partition);
        if (lane != null) {
            lane.inFlight--;
        }
        inFlight--;
    }

    public int inFlight(TopicPartition partition) {
        Lane lane = lanes.get(partition);
        return lane == null ? 0 : lane.inFlight;
    }

    /** Forgets the records not yet started; returns the offset of the first, or -1 when none waited. */
    public long dropWaiting(TopicPartition partition) {
        Lane lane = lanes.get(partition);
        if (lane == null || lane.waiting.isEmpty()) {
            return -1;
        }
        long first = lane.waiting.peekFirst().offset();
        lane.waiting.clear();
        return first;
    }

    /** Partitions to pause (a full lane) and to resume (a lane drained below half), with {@code maxWaiting} records. */
    public Flow flow(int maxWaiting) {
        List<TopicPartition> pause = new ArrayList<>();
        List<TopicPartition> resume = new ArrayList<>();
        lanes.forEach((partition, lane) -> {
            if (!lane.paused && lane.waiting.size() >= maxWaiting) {
                lane.paused = true;
                pause.add(partition);
            } else if (lane.paused && lane.waiting.size() < maxWaiting / 2) {
                lane.paused = false;
                resume.add(partition);
            }
        });
        return new Flow(pause, resume);
    }

    public record Flow(List<TopicPartition> pause, List<TopicPartition> resume) {
    }

    ConsumerRecord<String, byte[]> take(Lane lane) {
        lane.inFlight++;
        inFlight++;
        return lane.waiting.poll();
    }

    /** At most one event in flight per partition; the next starts once the previous is done, retries included. */
    static final class Ordered extends Lanes {

        @Override
        public List<ConsumerRecord<String, byte[]>> startable() {
            List<ConsumerRecord<String, byte[]>> starts = new ArrayList<>();
            for (Lane lane : lanes.values()) {
                if (lane.inFlight == 0 && !lane.waiting.isEmpty()) {
                    starts.add(take(lane));
                }
            }
            return starts;
        }
    }

    /** Up to {@code maxInFlight} events in flight over all partitions, taken from the partitions in turn. */
    static final class Unordered extends Lanes {

        private final int maxInFlight;

        Unordered(int maxInFlight) {
            this.maxInFlight = maxInFlight;
        }

        @Override
        public List<ConsumerRecord<String, byte[]>> startable() {
            List<ConsumerRecord<String, byte[]>> starts = new ArrayList<>();
            boolean progress = true;
            while (progress && inFlight < maxInFlight) {
                progress = false;
                for (Lane lane : lanes.values()) {
                    if (inFlight >= maxInFlight) {
                        break;
                    }
                    if (!lane.waiting.isEmpty()) {
                        starts.add(take(lane));
                        progress = true;
                    }
                }
            }
            return starts;
        }
    }
}
