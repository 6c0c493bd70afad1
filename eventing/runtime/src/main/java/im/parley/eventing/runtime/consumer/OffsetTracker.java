package im.parley.eventing.runtime.consumer;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.apache.kafka.common.TopicPartition;

/**
 * What may be committed, as Knative's {@code OffsetManager} decides it: per partition, the offsets received but
 * not yet done. The commit point is the lowest offset not done, so a commit never passes an event still being
 * handled and a crash replays events but never skips one. It only listens: the dispatcher tells it outcomes and
 * the consumer loop asks it what to commit. Thread-safe.
 */
public final class OffsetTracker {

    private static final class Partition {
        final TreeSet<Long> unfinished = new TreeSet<>();
        long next = -1;
        long committed = -1;
    }

    private final Map<TopicPartition, Partition> partitions = new HashMap<>();

    public synchronized void assigned(TopicPartition partition) {
        partitions.put(partition, new Partition());
    }

    public synchronized void revoked(TopicPartition partition) {
        partitions.remove(partition);
    }

    public synchronized void received(TopicPartition partition, long offset) {
        Partition p = partitions.get(partition);
        if (p != null) {
            p.unfinished.add(offset);
            p.next = offset + 1;
        }
    }

    /** The event at offset is done: delivered, dead-lettered or passed over by the filter. */
    public synchronized void done(TopicPartition partition, long offset) {
        Partition p = partitions.get(partition);
        if (p != null) {
            p.unfinished.remove(offset);
        }
    }

    /**
     * Forgets offsets from {@code offset} on that were received but never started: the partition's next owner gets
     * them again, so the commit point stops there.
     */
    public synchronized void forgetFrom(TopicPartition partition, long offset) {
        Partition p = partitions.get(partition);
        if (p != null && offset < p.next) {
            p.unfinished.tailSet(offset, true).clear();
            p.next = offset;
        }
    }

    /**
     * The offsets to commit now: for each partition whose commit point moved since the last call, the lowest offset
     * not done (or one past the last received when all are done). They count as committed from here on.
     */
    public synchronized Map<TopicPartition, Long> toCommit() {
        return toCommit(List.copyOf(partitions.keySet()));
    }

    /** Same, for some partitions only (those being revoked). */
    public synchronized Map<TopicPartition, Long> toCommit(Iterable<TopicPartition> which) {
        Map<TopicPartition, Long> offsets = new HashMap<>();
        for (TopicPartition partition : which) {
            Partition p = partitions.get(partition);
            if (p == null) {
                continue;
            }
            long point = p.unfinished.isEmpty() ? p.next : p.unfinished.first();
            if (point > p.committed) {
                offsets.put(partition, point);
                p.committed = point;
            }
        }
        return offsets;
    }

    /** A commit failed: the next {@link #toCommit} offers these partitions' points again. */
    public synchronized void commitFailed(Iterable<TopicPartition> which) {
        for (TopicPartition partition : which) {
            Partition p = partitions.get(partition);
            if (p != null) {
                p.committed = -1;
            }
        }
    }
}
