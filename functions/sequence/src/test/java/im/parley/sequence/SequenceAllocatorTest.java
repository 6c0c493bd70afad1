package im.parley.sequence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SequenceAllocatorTest {

    final InMemoryStores.Cache cache = new InMemoryStores.Cache();
    final InMemoryStores.Ledger ledger = new InMemoryStores.Ledger();
    final SequenceAllocator allocator = new SequenceAllocator(cache, ledger);

    @Test
    void seqsStartAtOneAndHaveNoGapsPerConversation() {
        assertThat(allocator.allocate("d:a:b", "m1")).isEqualTo(new Allocation(1, false));
        assertThat(allocator.allocate("d:a:b", "m2")).isEqualTo(new Allocation(2, false));
        assertThat(allocator.allocate("g:team", "m1")).isEqualTo(new Allocation(1, false));
        assertThat(allocator.allocate("d:a:b", "m3")).isEqualTo(new Allocation(3, false));
        assertThat(ledger.highWaterMark("d:a:b")).isEqualTo(3);
    }

    @Test
    void aRetriedClientMsgIdGetsItsOriginalSeq() {
        allocator.allocate("d:a:b", "m1");
        allocator.allocate("d:a:b", "m2");
        assertThat(allocator.allocate("d:a:b", "m1")).isEqualTo(new Allocation(1, true));
        assertThat(allocator.allocate("d:a:b", "m3")).isEqualTo(new Allocation(3, false));
    }

    @Test
    void afterACacheFlushTheCounterResumesFromTheDurableMarkAndRetriesStillDedupe() {
        for (int i = 1; i <= 5; i++) {
            allocator.allocate("d:a:b", "m" + i);
        }
        cache.flush();
        assertThat(allocator.allocate("d:a:b", "m4")).isEqualTo(new Allocation(4, true));
        assertThat(allocator.allocate("d:a:b", "m6")).isEqualTo(new Allocation(6, false));
        cache.flush();
        assertThat(allocator.allocate("d:a:b", "m7")).isEqualTo(new Allocation(7, false));
        assertThat(allocator.allocate("d:a:b", "m6")).isEqualTo(new Allocation(6, true));
    }

    @Test
    void aRetryRecordsNothingNew() {
        allocator.allocate("d:a:b", "m1");
        allocator.allocate("d:a:b", "m2");
        cache.flush();
        allocator.allocate("d:a:b", "m1");
        assertThat(ledger.ids).hasSize(2);
        assertThat(ledger.highWaterMark("d:a:b")).isEqualTo(2);
    }

    @Test
    void aSeqWhoseRecordFailedIsRecordedByTheRetryBeforeItIsUsed() {
        allocator.allocate("d:a:b", "m1");
        ledger.failNextRecords = 1;
        assertThatThrownBy(() -> allocator.allocate("d:a:b", "m2")).hasMessageContaining("unavailable");
        assertThat(ledger.highWaterMark("d:a:b")).isEqualTo(1);
        // The retry finds m2 in Redis: it must make seq 2 durable before answering with it.
        assertThat(allocator.allocate("d:a:b", "m2")).isEqualTo(new Allocation(2, true));
        assertThat(ledger.highWaterMark("d:a:b")).isEqualTo(2);
        cache.flush();
        assertThat(allocator.allocate("d:a:b", "m3")).isEqualTo(new Allocation(3, false));
    }
}
