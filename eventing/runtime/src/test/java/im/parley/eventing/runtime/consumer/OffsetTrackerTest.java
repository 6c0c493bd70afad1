package im.parley.eventing.runtime.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class OffsetTrackerTest {

    static final TopicPartition P0 = new TopicPartition("t", 0);
    static final TopicPartition P1 = new TopicPartition("t", 1);

    @Test
    void onlyContiguousFinishedOffsetsAreCommitted() {
        OffsetTracker offsets = new OffsetTracker();
        offsets.assigned(P0);
        for (long o = 10; o <= 14; o++) {
            offsets.received(P0, o);
        }
        assertThat(offsets.toCommit()).as("nothing done yet: the first offset").containsExactly(Map.entry(P0, 10L));
        offsets.done(P0, 11);
        offsets.done(P0, 12);
        assertThat(offsets.toCommit()).as("10 is still in flight").isEmpty();
        offsets.done(P0, 10);
        assertThat(offsets.toCommit()).containsExactly(Map.entry(P0, 13L));
        offsets.done(P0, 14);
        offsets.done(P0, 13);
        assertThat(offsets.toCommit()).as("all done: one past the last").containsExactly(Map.entry(P0, 15L));
        assertThat(offsets.toCommit()).as("nothing moved since").isEmpty();
    }

    @Test
    void aFailedCommitIsOfferedAgainAndPartitionsAreIndependent() {
        OffsetTracker offsets = new OffsetTracker();
        offsets.assigned(P0);
        offsets.assigned(P1);
        offsets.received(P0, 0);
        offsets.received(P1, 0);
        offsets.done(P0, 0);
        assertThat(offsets.toCommit()).containsOnly(Map.entry(P0, 1L), Map.entry(P1, 0L));
        offsets.commitFailed(List.of(P0));
        assertThat(offsets.toCommit()).containsExactly(Map.entry(P0, 1L));
        assertThat(offsets.toCommit(List.of(P1))).isEmpty();
    }

    @Test
    void recordsNeverStartedAreForgottenSoTheNextOwnerGetsThem() {
        OffsetTracker offsets = new OffsetTracker();
        offsets.assigned(P0);
        for (long o = 0; o < 5; o++) {
            offsets.received(P0, o);
        }
        offsets.done(P0, 0);
        offsets.done(P0, 1);
        // 2 is in flight; 3 and 4 were waiting when the partition was revoked
        offsets.forgetFrom(P0, 3);
        offsets.done(P0, 2);
        assertThat(offsets.toCommit(List.of(P0))).containsExactly(Map.entry(P0, 3L));
        offsets.revoked(P0);
        offsets.received(P0, 5);
        offsets.done(P0, 5);
        assertThat(offsets.toCommit()).as("a revoked partition is forgotten").isEmpty();
    }
}
