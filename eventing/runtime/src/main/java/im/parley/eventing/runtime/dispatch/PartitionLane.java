package im.parley.eventing.runtime.dispatch;

import java.util.ArrayDeque;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * One assigned partition: records taken in but not started, and offsets taken in but not done. The offset
 * to commit is the lowest one not done, so a commit never passes an event still being handled. Guarded by
 * the owning replica's lock.
 */
final class PartitionLane {

    final TopicPartition partition;
    final ArrayDeque<ConsumerRecord<String, byte[]>> waiting = new ArrayDeque<>();
    private final TreeSet<Long> unfinished = new TreeSet<>();
    private long next = -1;
    long committed = -1;
    int inFlight;
    boolean paused;

    PartitionLane(TopicPartition partition) {
        this.partition = partition;
    }

    void takeIn(ConsumerRecord<String, byte[]> record) {
        unfinished.add(record.offset());
        next = record.offset() + 1;
        waiting.add(record);
    }

    void done(long offset) {
        unfinished.remove(offset);
    }

    /** The next offset to commit, or -1 when nothing has been taken in yet. */
    long committable() {
        return unfinished.isEmpty() ? next : unfinished.first();
    }

    /**
     * Forgets records not yet started, so that the partition's next owner gets them. Started records always
     * precede waiting ones, so the commit point stops at the first forgotten record.
     */
    void dropWaiting() {
        if (waiting.isEmpty()) {
            return;
        }
        next = waiting.peekFirst().offset();
        for (ConsumerRecord<String, byte[]> record : waiting) {
            unfinished.remove(record.offset());
        }
        waiting.clear();
    }
}
