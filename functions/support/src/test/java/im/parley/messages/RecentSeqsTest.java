package im.parley.messages;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RecentSeqsTest {

    final RecentSeqs seqs = new RecentSeqs();

    @Test
    void offersTheLastSeqHandedOutOnceItIsStored() {
        assertThat(seqs.handedOutAndStored("d:a:b")).isEmpty();
        seqs.handedOut("d:a:b", 4, "r1");
        assertThat(seqs.handedOutAndStored("d:a:b")).as("not stored yet").isEmpty();
        seqs.stored("d:a:b", 4);
        assertThat(seqs.handedOutAndStored("d:a:b")).contains(new RecentSeqs.HandedOut(4, "r1"));
        seqs.handedOut("d:a:b", 5, "r1");
        assertThat(seqs.handedOutAndStored("d:a:b")).as("5 may never be stored").isEmpty();
        seqs.stored("d:a:b", 3); // a retry stores an older message again
        seqs.stored("d:a:b", 5);
        assertThat(seqs.handedOutAndStored("d:a:b")).contains(new RecentSeqs.HandedOut(5, "r1"));
    }

    @Test
    void aSeqStoredHereButHandedOutElsewhereIsNotOffered() {
        seqs.stored("d:a:b", 7);
        assertThat(seqs.handedOutAndStored("d:a:b")).isEmpty();
        seqs.handedOut("d:a:b", 6, "r1");
        assertThat(seqs.handedOutAndStored("d:a:b")).isEmpty();
    }

    @Test
    void forgetsTheLeastRecentlyActiveConversationBeyondItsCapacity() {
        RecentSeqs small = new RecentSeqs(2);
        for (String c : new String[] {"a", "b"}) {
            small.handedOut(c, 1, "r1");
            small.stored(c, 1);
        }
        small.handedOutAndStored("a");
        small.handedOut("c", 1, "r1");
        assertThat(small.handedOutAndStored("b")).isEmpty();
        assertThat(small.handedOutAndStored("a")).isPresent();
    }
}
