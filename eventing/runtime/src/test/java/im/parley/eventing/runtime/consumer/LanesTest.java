package im.parley.eventing.runtime.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class LanesTest {

    static final TopicPartition P0 = new TopicPartition("t", 0);
    static final TopicPartition P1 = new TopicPartition("t", 1);

    static ConsumerRecord<String, byte[]> record(int partition, long offset) {
        return new ConsumerRecord<>("t", partition, offset, "k", new byte[0]);
    }

    static List<Long> offsets(List<ConsumerRecord<String, byte[]>> records) {
        return records.stream().map(ConsumerRecord::offset).toList();
    }

    @Test
    void orderedLanesStartOneEventPerPartitionAndTheNextOnlyWhenItIsDone() {
        Lanes lanes = Lanes.of(true, 500);
        lanes.assigned(P0);
        lanes.assigned(P1);
        lanes.add(record(0, 0));
        lanes.add(record(0, 1));
        lanes.add(record(1, 7));
        assertThat(offsets(lanes.startable())).containsExactly(0L, 7L);
        assertThat(lanes.startable()).isEmpty();
        lanes.finished(P0);
        assertThat(offsets(lanes.startable())).containsExactly(1L);
    }

    @Test
    void unorderedLanesStartUpToTheBoundAcrossPartitions() {
        Lanes lanes = Lanes.of(false, 3);
        lanes.assigned(P0);
        lanes.assigned(P1);
        for (long o = 0; o < 4; o++) {
            lanes.add(record(0, o));
        }
        lanes.add(record(1, 10));
        assertThat(offsets(lanes.startable())).containsExactly(0L, 10L, 1L);
        lanes.finished(P1);
        assertThat(offsets(lanes.startable())).containsExactly(2L);
    }

    @Test
    void aFullLaneIsPausedAndResumedOnceHalfDrained() {
        Lanes lanes = Lanes.of(true, 500);
        lanes.assigned(P0);
        for (long o = 0; o < 4; o++) {
            lanes.add(record(0, o));
        }
        assertThat(lanes.flow(4).pause()).containsExactly(P0);
        lanes.startable();
        lanes.finished(P0);
        lanes.startable();
        lanes.finished(P0);
        lanes.startable();
        assertThat(lanes.flow(4).resume()).containsExactly(P0);
        assertThat(lanes.dropWaiting(P0)).isEqualTo(3L);
        assertThat(lanes.dropWaiting(P0)).isEqualTo(-1L);
    }
}
