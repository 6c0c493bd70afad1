package im.parley.sequence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import im.parley.eventing.message.MessageRejected.Reason;
import im.parley.messages.RecentSeqs;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class SequenceAllocatorTest {

    static final long WINDOW = 600;
    static final long LEASE_SECONDS = SequenceAllocator.LEASE.toSeconds();

    final InMemorySeqCache cache = new InMemorySeqCache(WINDOW);
    final InMemorySeqLedger ledger = new InMemorySeqLedger();
    final List<String> rightsRead = new ArrayList<>();
    final RecentSeqs recent = new RecentSeqs();
    final SequenceAllocator allocator = allocator(recent);

    SequenceAllocator allocator(RecentSeqs recent) {
        return new SequenceAllocator(cache, ledger, (conversation, user) -> {
            rightsRead.add(conversation + "/" + user);
            return user.equals("eve") ? Optional.of(Reason.NOT_MEMBER) : Optional.empty();
        }, recent);
    }

    /** Sequences and, when it got a seq, stores the message as persist would. */
    SequenceAllocator.Outcome send(String conversation, String clientMsgId, boolean resend) {
        return send(allocator, recent, conversation, clientMsgId, resend);
    }

    SequenceAllocator.Outcome send(SequenceAllocator allocator, RecentSeqs recent, String conversation, String clientMsgId,
                                   boolean resend) {
        SequenceAllocator.Outcome outcome = allocator.sequence(conversation, clientMsgId, "ann", resend);
        if (outcome instanceof SequenceAllocator.Sequenced s) {
            ledger.stored(conversation, clientMsgId, s.seq());
            recent.stored(conversation, s.seq());
        }
        return outcome;
    }

    static SequenceAllocator.Sequenced seq(long seq, boolean duplicate) {
        return new SequenceAllocator.Sequenced(seq, duplicate);
    }

    @Test
    void seqsStartAtOneAndHaveNoGapsPerConversation() {
        assertThat(send("d:a:b", "m1", false)).isEqualTo(seq(1, false));
        assertThat(send("d:a:b", "m2", false)).isEqualTo(seq(2, false));
        assertThat(send("g:team", "m1", false)).isEqualTo(seq(1, false));
        assertThat(send("d:a:b", "m3", false)).isEqualTo(seq(3, false));
    }

    @Test
    void aRetriedClientMsgIdGetsItsOriginalSeq() {
        send("d:a:b", "m1", false);
        send("d:a:b", "m2", false);
        assertThat(send("d:a:b", "m1", false)).isEqualTo(seq(1, true));
        assertThat(send("d:a:b", "m1", true)).isEqualTo(seq(1, true));
        assertThat(send("d:a:b", "m3", false)).isEqualTo(seq(3, false));
    }

    @Test
    void theSteadyStateReadsNothingDurable() {
        // A new conversation's first message reads the durable mark once; nothing stored means no earlier seqs.
        send("d:a:b", "m1", false);
        int reads = ledger.reads;
        int markReads = ledger.markReads;
        for (int i = 2; i <= 10; i++) {
            assertThat(send("d:a:b", "m" + i, false)).isEqualTo(seq(i, false));
        }
        assertThat(ledger.reads).as("no dedupe or seed reads").isEqualTo(reads);
        assertThat(ledger.markReads).as("the seq stored last is the mark").isEqualTo(markReads);
        assertThat(rightsRead).as("the right is read once, then cached").containsExactly("d:a:b/ann");
    }

    @Test
    void aRestartThatLostNothingCostsOneReadOfTheMarkOnceTheLeaseHasPassed() {
        send("d:a:b", "m1", false);
        send("d:a:b", "m2", false);
        cache.restart();
        assertThatThrownBy(() -> send("d:a:b", "m3", false)).isInstanceOf(SequenceAllocator.Pending.class);
        cache.nowSeconds += LEASE_SECONDS + 1;
        int markReads = ledger.markReads;
        assertThat(send("d:a:b", "m3", false)).isEqualTo(seq(3, false));
        assertThat(send("d:a:b", "m4", false)).isEqualTo(seq(4, false));
        assertThat(ledger.markReads - markReads).as("once, for the first seq the new server hands out").isEqualTo(1);
    }

    /**
     * A seq stored here is the mark only while the counter that handed it out still stands there: a server promoted
     * with older data may stand at the same seq while another process has stored more.
     */
    @Test
    void aCounterBackAtTheSeqStoredHereAfterAFailoverIsNotTakenForTheMark() {
        RecentSeqs otherRecent = new RecentSeqs();
        SequenceAllocator other = allocator(otherRecent);
        for (int i = 1; i <= 3; i++) {
            send("d:a:b", "m" + i, false);
        }
        // The conversation's partition moves to another process, which goes on.
        for (int i = 4; i <= 6; i++) {
            assertThat(send(other, otherRecent, "d:a:b", "m" + i, false)).isEqualTo(seq(i, false));
        }
        // A replica that missed the last three writes is promoted: its counter stands at 3, the seq stored here last.
        cache.windBack("d:a:b", 3);
        assertThat(send("d:a:b", "m7", false)).isEqualTo(seq(7, false));
        assertThat(ledger.ids).hasSize(7);
        assertThat(send(other, otherRecent, "d:a:b", "m8", false)).isEqualTo(seq(8, false));
    }

    @Test
    void anAttemptOvertakenByItsRetryStopsInsteadOfActingOnTheConversation() throws Exception {
        // Sent through another process: this one has no seq of its own to offer, so it reads the stored mark.
        RecentSeqs elsewhere = new RecentSeqs();
        send(allocator(elsewhere), elsewhere, "d:a:b", "m1", false);
        CompletableFuture<Long> lateMark = new CompletableFuture<>();
        ledger.nextMarkRead = lateMark;
        ExecutorService zombie = Executors.newSingleThreadExecutor();
        try {
            // The first attempt at m2 takes seq 2, then waits on its read of the stored mark past its timeout.
            Future<SequenceAllocator.Outcome> first = zombie.submit(() -> allocator.sequence("d:a:b", "m2", "ann", false));
            long until = System.nanoTime() + 5_000_000_000L;
            while (cache.seqOf("d:a:b", "m2") == null && System.nanoTime() < until) {
                Thread.sleep(1);
            }
            // Its retry, and the next message, go through meanwhile.
            assertThat(send("d:a:b", "m2", false)).isEqualTo(seq(2, true));
            assertThat(send("d:a:b", "m3", false)).isEqualTo(seq(3, false));
            // The read returns late, with m3 stored: the first attempt must not reseed, forget or take back seqs now.
            lateMark.complete(3L);
            assertThatThrownBy(first::get).hasCauseInstanceOf(SeqCache.TurnLost.class);
        } finally {
            zombie.shutdownNow();
        }
        assertThat(send("d:a:b", "m4", false)).isEqualTo(seq(4, false));
        assertThat(send("d:a:b", "m2", true)).isEqualTo(seq(2, true));
    }

    @Test
    void aStoredMessageGivenANewSeqByAnAttemptThatFailedBeforeLookingKeepsItsStoredSeq() {
        send("d:a:b", "m1", false);
        send("d:a:b", "m2", false);
        send("d:a:b", "m3", false);
        cache.flush(); // Redis lost everything, m2's clientMsgId included
        assertThat(send("d:a:b", "m4", false)).isEqualTo(seq(4, false));
        // A replay of m2 takes seq 5 from the young counter, then fails reading the ledger.
        ledger.failNextSeqOf = true;
        assertThatThrownBy(() -> allocator.sequence("d:a:b", "m2", "ann", false)).hasMessageContaining("timed out");
        // Its retry finds m2 holding 5 = mark + 1, which is no proof m2 was never stored.
        assertThat(send("d:a:b", "m2", false)).isEqualTo(seq(2, true));
        assertThat(send("d:a:b", "m5", false)).isEqualTo(seq(5, false));
    }

    @Test
    void aCounterWoundBackNeverHandsOutAStoredSeq() {
        for (int i = 1; i <= 10; i++) {
            send("d:a:b", "m" + i, false);
        }
        cache.windBack("d:a:b", 5);
        for (int i = 11; i <= 15; i++) {
            assertThat(send("d:a:b", "m" + i, false)).as("m" + i).isEqualTo(seq(i, false));
        }
        assertThat(send("d:a:b", "m8", false)).isEqualTo(seq(8, true));
        assertThat(ledger.ids).hasSize(15);
    }

    /** Sequenced, then every attempt failed before it was stored (dead-lettered): no gap, no late delivery. */
    @Test
    void aSeqNeverStoredIsTakenByTheNextMessageAndItsOwnerGetsANewOneWhenItResends() {
        send("d:a:b", "m1", false);
        assertThat(allocator.sequence("d:a:b", "lost1", "ann", false)).isEqualTo(seq(2, false));
        cache.nowSeconds += LEASE_SECONDS; // the Trigger's retries of lost1 took this long
        assertThat(allocator.sequence("d:a:b", "lost2", "ann", false)).as("takes back the seq never stored")
                .isEqualTo(seq(2, false));
        cache.nowSeconds += LEASE_SECONDS;
        assertThat(send("d:a:b", "m2", false)).as("takes the first seq never stored").isEqualTo(seq(2, false));
        assertThat(send("d:a:b", "lost1", true)).as("its old seq is m2's now").isEqualTo(seq(3, false));
        assertThat(send("d:a:b", "lost2", true)).isEqualTo(seq(4, false));
        assertThat(send("d:a:b", "m3", false)).isEqualTo(seq(5, false));
        assertThat(ledger.ids).containsEntry("d:a:b/m2", 2L).containsEntry("d:a:b/lost1", 3L).containsEntry("d:a:b/lost2", 4L);
    }

    /**
     * Found by the soak: a replica that had lost its partitions was still sequencing a conversation beside the new
     * owner. The new owner's mark, read before the other's write landed, made the seq the other had just got look
     * never stored, and it was taken back and given to a second message: two messages acked under one seq.
     */
    @Test
    void aSeqAnotherAttemptMayStillStoreIsNeverGivenToASecondMessage() {
        send("d:a:b", "m1", false);
        // An attempt at m2 gets seq 2 and is still storing it.
        assertThat(allocator.sequence("d:a:b", "m2", "ann", false)).isEqualTo(seq(2, false));
        assertThatThrownBy(() -> allocator.sequence("d:a:b", "m3", "ann", false))
                .isInstanceOf(SequenceAllocator.Pending.class);
        ledger.stored("d:a:b", "m2", 2);
        assertThat(send("d:a:b", "m3", false)).as("the retry, once m2 is stored").isEqualTo(seq(3, true));
        assertThat(send("d:a:b", "m4", false)).isEqualTo(seq(4, false));
        assertThat(ledger.ids).containsEntry("d:a:b/m2", 2L).containsEntry("d:a:b/m3", 3L).containsEntry("d:a:b/m4", 4L);
    }

    /**
     * Redis restarted without the seq an attempt is still storing (an empty start, or an older snapshot or AOF
     * tail): no seq is handed out until the restarted server has been up a lease, and by then that attempt has
     * stored its seq or can no longer store it.
     */
    @Test
    void aSeqLostInARestartOfRedisIsNotHandedOutAgainWhileItsAttemptMayStillStoreIt() {
        for (boolean empty : new boolean[] {true, false}) {
            String conversation = empty ? "d:a:b" : "d:a:c";
            send(conversation, "m1", false);
            assertThat(allocator.sequence(conversation, "m2", "ann", false)).isEqualTo(seq(2, false));
            if (empty) {
                cache.flush();
            } else {
                cache.windBack(conversation, 1); // the snapshot it starts from was taken before m2's seq
            }
            cache.restart();
            assertThatThrownBy(() -> send(conversation, "m3", false)).as(empty ? "started empty" : "started behind")
                    .isInstanceOf(SequenceAllocator.Pending.class);
            ledger.stored(conversation, "m2", 2);
            cache.nowSeconds += LEASE_SECONDS + 1;
            assertThat(send(conversation, "m3", false)).isEqualTo(seq(3, false));
            assertThat(send(conversation, "m2", false)).as("m2's redelivery").isEqualTo(seq(2, true));
            assertThat(ledger.ids).containsEntry(conversation + "/m2", 2L).containsEntry(conversation + "/m3", 3L);
        }
    }

    /** A conversation with nothing stored has no attempt to wait for: its first message is not held. */
    @Test
    void aNewConversationsFirstMessageIsNotHeldByARestart() {
        cache.restart();
        assertThat(send("d:a:b", "m1", false)).isEqualTo(seq(1, false));
        assertThat(send("d:a:b", "m2", false)).isEqualTo(seq(2, false));
    }

    /**
     * Found by the soak: m1's attempts got seq 2 and failed before storing it; once the lease had passed, m2's turn
     * took 2 back and got it, and failed too. Both clientMsgIds then held 2 in the cache while the mark was 1, and each
     * retry took itself for the attempt that failed last: both were acked under seq 2, and one overwrote the other.
     */
    @Test
    void aSeqTakenBackAndGivenToAnotherMessageIsRetriedOnlyByThatMessage() {
        send("d:a:b", "m0", false);
        assertThat(allocator.sequence("d:a:b", "m1", "ann", false)).isEqualTo(seq(2, false));
        cache.nowSeconds += LEASE_SECONDS;
        assertThat(allocator.sequence("d:a:b", "m2", "ann", false)).as("takes back 2").isEqualTo(seq(2, false));
        assertThatThrownBy(() -> allocator.sequence("d:a:b", "m1", "ann", false)).as("2 is m2's now, maybe being stored")
                .isInstanceOf(SequenceAllocator.Pending.class);
        assertThat(send("d:a:b", "m2", false)).isEqualTo(seq(2, true));
        assertThat(send("d:a:b", "m1", false)).isEqualTo(seq(3, true));
        assertThat(ledger.ids).containsEntry("d:a:b/m2", 2L).containsEntry("d:a:b/m1", 3L);
    }

    /** A retry that takes its seq up again may still be storing it: the lease runs from then, not from the first. */
    @Test
    void aSeqARetryTookUpAgainIsTakenBackOnlyALeaseAfterThat() {
        send("d:a:b", "m0", false);
        assertThat(allocator.sequence("d:a:b", "m1", "ann", false)).isEqualTo(seq(2, false));
        cache.nowSeconds += LEASE_SECONDS - 1;
        // m1's retry takes 2 up again, and outlives its timeout before it stores it.
        assertThat(allocator.sequence("d:a:b", "m1", "ann", false)).isEqualTo(seq(2, true));
        cache.nowSeconds += 1;
        assertThatThrownBy(() -> allocator.sequence("d:a:b", "m2", "ann", false)).as("a lease after the first, not the retry")
                .isInstanceOf(SequenceAllocator.Pending.class);
        cache.nowSeconds += LEASE_SECONDS;
        assertThat(send("d:a:b", "m2", false)).as("no attempt can store 2 now").isEqualTo(seq(2, false));
        assertThat(send("d:a:b", "m1", true)).isEqualTo(seq(3, false));
        assertThat(ledger.ids).containsEntry("d:a:b/m2", 2L).containsEntry("d:a:b/m1", 3L);
    }

    @Test
    void aSeqWhoseAttemptDiedIsTakenBackOnceNoAttemptCanStoreIt() {
        send("d:a:b", "m1", false);
        assertThat(allocator.sequence("d:a:b", "m2", "ann", false)).isEqualTo(seq(2, false));
        assertThatThrownBy(() -> allocator.sequence("d:a:b", "m3", "ann", false))
                .isInstanceOf(SequenceAllocator.Pending.class);
        cache.nowSeconds += LEASE_SECONDS - 1;
        assertThatThrownBy(() -> allocator.sequence("d:a:b", "m3", "ann", false)).as("m3's own first seq counts too")
                .isInstanceOf(SequenceAllocator.Pending.class);
        cache.nowSeconds += 1;
        assertThat(send("d:a:b", "m3", false)).isEqualTo(seq(2, false));
        assertThat(send("d:a:b", "m2", true)).as("m2 resent: its old seq is m3's now").isEqualTo(seq(3, false));
    }

    @Test
    void theRetryOfTheAttemptThatFailedLastKeepsItsSeq() {
        send("d:a:b", "m1", false);
        assertThat(allocator.sequence("d:a:b", "m2", "ann", false)).isEqualTo(seq(2, false));
        assertThat(send("d:a:b", "m2", false)).as("the redelivery").isEqualTo(seq(2, true));
        assertThat(send("d:a:b", "m2", true)).as("a resend of what is stored").isEqualTo(seq(2, true));
    }

    @Test
    void afterACacheFlushTheCounterResumesFromTheDurableMarkAndRetriesStillDedupe() {
        for (int i = 1; i <= 5; i++) {
            send("d:a:b", "m" + i, false);
        }
        cache.flush();
        assertThat(send("d:a:b", "m4", false)).isEqualTo(seq(4, true));
        assertThat(send("d:a:b", "m6", false)).isEqualTo(seq(6, false));
        cache.flush();
        assertThat(send("d:a:b", "m7", false)).isEqualTo(seq(7, false));
        // A redelivery of m6 without the resend flag: the counter is young, so the ledger is asked, and the
        // seq the cache handed out is taken back.
        assertThat(send("d:a:b", "m6", false)).isEqualTo(seq(6, true));
        assertThat(send("d:a:b", "m8", false)).isEqualTo(seq(8, false));
    }

    @Test
    void aResendOlderThanTheDedupeWindowKeepsItsSeq() {
        send("d:a:b", "m1", false);
        // The cache forgot m1 once the window passed; the client says it sends m1 again.
        cache.nowSeconds += WINDOW + 1;
        assertThat(send("d:a:b", "m2", false)).isEqualTo(seq(2, false));
        assertThat(send("d:a:b", "m1", true)).isEqualTo(seq(1, true));
        assertThat(send("d:a:b", "m3", false)).as("the seq handed out for the resend was taken back").isEqualTo(seq(3, false));
    }

    @Test
    void aSeqNeverStoredIsGivenToTheSameMessageAgainAfterAFlush() {
        send("d:a:b", "m1", false);
        // m2 got seq 2 from the cache, but its message was never stored (the chain failed at persist).
        allocator.sequence("d:a:b", "m2", "ann", false);
        cache.flush();
        assertThat(send("d:a:b", "m2", false)).isEqualTo(seq(2, false));
        assertThat(send("d:a:b", "m3", false)).isEqualTo(seq(3, false));
    }

    @Test
    void aSenderWithoutTheRightIsRefusedAndGetsNoSeq() {
        assertThat(allocator.sequence("d:a:b", "m1", "eve", false)).isEqualTo(new SequenceAllocator.Refused(Reason.NOT_MEMBER));
        assertThat(allocator.sequence("d:a:b", "m2", "eve", false)).isEqualTo(new SequenceAllocator.Refused(Reason.NOT_MEMBER));
        assertThat(rightsRead).containsExactly("d:a:b/eve");
        assertThat(send("d:a:b", "m3", false)).isEqualTo(seq(1, false));
        cache.forgetRights("d:a:b");
        allocator.sequence("d:a:b", "m4", "eve", false);
        assertThat(rightsRead).as("read again once forgotten").containsExactly("d:a:b/eve", "d:a:b/ann", "d:a:b/eve");
    }
}
