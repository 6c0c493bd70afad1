package im.parley.sequence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import im.parley.eventing.message.MessageRejected.Reason;
import java.util.OptionalLong;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** What every {@link SeqCache} does: the in-memory one for unit tests and the Redis one alike. */
abstract class SeqCacheContract {

    static final SeqCache.Fill ALLOWED = new SeqCache.Fill(null, "0");
    /** How long a restarted server hands out no seq from a counter an earlier one left, in these tests. */
    static final long LEASE_SECONDS = 1;
    /** Enough for the lease to pass, for a server that counts its uptime in whole seconds. */
    static final long PAST_THE_LEASE = LEASE_SECONDS * 1000 + 1_100;

    abstract SeqCache cache();

    /** Loses everything, as a Redis flush or failover does. */
    abstract void flush() throws Exception;

    /** What the friend-request and group functions do when the facts behind a right change. */
    abstract void forgetRights(String conversationId) throws Exception;

    /** Restarts the server, keeping every write: the same data, another process. */
    abstract void restart() throws Exception;

    /** Lets this much time pass, on the cache's clock. */
    abstract void pause(long millis) throws Exception;

    static String conversation() {
        return "d:u" + UUID.randomUUID().toString().substring(0, 8) + ":v";
    }

    @Test
    void aNewConversationAsksForTheRightThenTheSeedThenCounts() {
        SeqCache.Turn c = new SeqCache.Turn(conversation());
        assertThat(cache().next(c, "m1", "u", null, OptionalLong.empty())).isInstanceOf(SeqCache.RightUnknown.class);
        SeqCache.RightUnknown unknown = (SeqCache.RightUnknown) cache().next(c, "m1", "u", null, OptionalLong.empty());
        SeqCache.Fill fill = new SeqCache.Fill(null, unknown.generation());
        assertThat(cache().next(c, "m1", "u", fill, OptionalLong.empty())).isInstanceOf(SeqCache.CounterMissing.class);
        assertThat(cache().next(c, "m1", "u", null, OptionalLong.of(41))).isEqualTo(new SeqCache.Allocated(42, true));
        assertThat(cache().next(c, "m2", "u", null, OptionalLong.empty())).isEqualTo(new SeqCache.Allocated(43, true));
        assertThat(cache().next(c, "m1", "u", null, OptionalLong.empty())).isEqualTo(new SeqCache.Duplicate(42, true));
    }

    @Test
    void aCounterSeededFromNothingStoredIsNotYoung() {
        SeqCache.Turn c = new SeqCache.Turn(conversation());
        assertThat(cache().next(c, "m1", "u", ALLOWED, OptionalLong.of(0))).isEqualTo(new SeqCache.Allocated(1, false));
        assertThat(cache().next(c, "m2", "u", null, OptionalLong.empty())).isEqualTo(new SeqCache.Allocated(2, false));
    }

    @Test
    void aCachedRefusalRefusesAndAForgottenRightIsAskedForAgain() throws Exception {
        SeqCache.Turn c = new SeqCache.Turn(conversation());
        SeqCache.Fill blocked = new SeqCache.Fill(Reason.BLOCKED, "0");
        assertThat(cache().next(c, "m1", "u", blocked, OptionalLong.empty())).isEqualTo(new SeqCache.Refused(Reason.BLOCKED));
        assertThat(cache().next(c, "m2", "u", null, OptionalLong.empty())).isEqualTo(new SeqCache.Refused(Reason.BLOCKED));
        forgetRights(c.conversationId());
        assertThat(cache().next(c, "m2", "u", null, OptionalLong.empty())).isInstanceOf(SeqCache.RightUnknown.class);
    }

    @Test
    void aRightReadBeforeTheFactsChangedIsUsedOnceButNeverCached() throws Exception {
        SeqCache.Turn c = new SeqCache.Turn(conversation());
        SeqCache.RightUnknown before = (SeqCache.RightUnknown) cache().next(c, "m1", "u", null, OptionalLong.empty());
        forgetRights(c.conversationId());
        SeqCache.Fill stale = new SeqCache.Fill(null, before.generation());
        assertThat(cache().next(c, "m1", "u", stale, OptionalLong.of(0))).isEqualTo(new SeqCache.Allocated(1, false));
        assertThat(cache().next(c, "m2", "u", null, OptionalLong.empty())).isInstanceOf(SeqCache.RightUnknown.class);
    }

    @Test
    void afterAFlushTheCounterIsSeededAgainAndUndoTakesBackTheLastSeq() throws Exception {
        SeqCache.Turn c = new SeqCache.Turn(conversation());
        cache().next(c, "m1", "u", ALLOWED, OptionalLong.of(0));
        cache().next(c, "m2", "u", null, OptionalLong.empty());
        flush();
        c = new SeqCache.Turn(c.conversationId()); // the flush lost the turn too
        assertThat(cache().next(c, "m3", "u", ALLOWED, OptionalLong.empty())).isInstanceOf(SeqCache.CounterMissing.class);
        assertThat(cache().next(c, "m2", "u", ALLOWED, OptionalLong.of(2))).isEqualTo(new SeqCache.Allocated(3, true));
        cache().undo(c, "m2", 3, 2);
        assertThat(cache().next(c, "m2", "u", null, OptionalLong.empty())).isEqualTo(new SeqCache.Duplicate(2));
        assertThat(cache().next(c, "m3", "u", null, OptionalLong.empty())).isEqualTo(new SeqCache.Allocated(3, true));
        cache().remember(c, "m9", 7);
        assertThat(cache().next(c, "m9", "u", null, OptionalLong.empty())).isEqualTo(new SeqCache.Duplicate(7));
    }

    @Test
    void aReseededCounterResumesAboveTheStoredMarkYoungAndForgetsTheSeqItGaveOut() {
        SeqCache.Turn c = new SeqCache.Turn(conversation());
        cache().next(c, "m1", "u", ALLOWED, OptionalLong.of(0));
        assertThat(cache().next(c, "m2", "u", null, OptionalLong.empty())).isEqualTo(new SeqCache.Allocated(2, false));
        // Say seqs up to 7 are stored: 2 was a reuse.
        cache().reseed(c, "m2", 7);
        assertThat(cache().next(c, "m2", "u", null, OptionalLong.empty())).isEqualTo(new SeqCache.Allocated(8, true));
        assertThat(cache().next(c, "m3", "u", null, OptionalLong.empty())).isEqualTo(new SeqCache.Allocated(9, true));
    }

    @Test
    void aSeqFollowsTheStoredOneOnlyWhileTheCounterThatHandedItOutStandsThere() throws Exception {
        SeqCache.Turn c = new SeqCache.Turn(conversation());
        assertThat(cache().next(c, "m1", "u", ALLOWED, OptionalLong.of(0), null)).isEqualTo(new SeqCache.Allocated(1, false, false));
        String counter = c.counter();
        assertThat(counter).as("the counter that handed seq 1 out").isNotBlank();
        assertThat(cache().next(c, "m2", "u", null, OptionalLong.empty(), new SeqCache.Stored(1, counter)))
                .isEqualTo(new SeqCache.Allocated(2, false, true));
        assertThat(cache().next(c, "m3", "u", null, OptionalLong.empty(), new SeqCache.Stored(1, counter)))
                .as("the counter went on past the stored seq").isEqualTo(new SeqCache.Allocated(3, false, false));
        assertThat(cache().next(c, "m4", "u", null, OptionalLong.empty(), new SeqCache.Stored(3, "another")))
                .as("another counter handed it out").isEqualTo(new SeqCache.Allocated(4, false, false));
        restart();
        pause(PAST_THE_LEASE);
        c = new SeqCache.Turn(c.conversationId());
        assertThat(cache().next(c, "m5", "u", null, OptionalLong.empty(), new SeqCache.Stored(4, counter)))
                .as("the server restarted: it may have lost writes").isEqualTo(new SeqCache.Allocated(5, false, false));
        assertThat(c.counter()).isNotEqualTo(counter);
        assertThat(cache().next(c, "m6", "u", null, OptionalLong.empty(), new SeqCache.Stored(5, c.counter())))
                .isEqualTo(new SeqCache.Allocated(6, false, true));
    }

    @Test
    void aRestartedServerHandsOutNoSeqFromACounterAnEarlierOneLeftUntilItHasBeenUpALease() throws Exception {
        SeqCache.Turn c = new SeqCache.Turn(conversation());
        assertThat(cache().next(c, "m1", "u", ALLOWED, OptionalLong.of(0))).isEqualTo(new SeqCache.Allocated(1, false));
        assertThat(cache().next(c, "m2", "u", null, OptionalLong.empty())).isEqualTo(new SeqCache.Allocated(2, false));
        SeqCache.Turn elsewhere = new SeqCache.Turn(conversation());
        restart();
        c = new SeqCache.Turn(c.conversationId());
        assertThat(cache().next(c, "m3", "u", null, OptionalLong.empty())).as("a seq the earlier run handed out last may"
                + " have been lost with it, and still be stored").isInstanceOf(SeqCache.Restarted.class);
        assertThat(cache().next(c, "m2", "u", null, OptionalLong.empty())).isEqualTo(new SeqCache.Duplicate(2, false));
        assertThat(cache().next(elsewhere, "m1", "u", ALLOWED, OptionalLong.empty())).isInstanceOf(SeqCache.CounterMissing.class);
        assertThat(cache().next(elsewhere, "m1", "u", null, OptionalLong.of(6))).isInstanceOf(SeqCache.Restarted.class);
        SeqCache.Turn fresh = new SeqCache.Turn(conversation());
        assertThat(cache().next(fresh, "m1", "u", ALLOWED, OptionalLong.of(0))).as("nothing stored, nothing to wait for")
                .isEqualTo(new SeqCache.Allocated(1, false));
        assertThat(cache().next(fresh, "m1", "u", null, OptionalLong.empty())).isEqualTo(new SeqCache.Duplicate(1, true));
        pause(PAST_THE_LEASE);
        assertThat(cache().next(c, "m3", "u", null, OptionalLong.empty())).isEqualTo(new SeqCache.Allocated(3, false));
        assertThat(cache().next(elsewhere, "m1", "u", null, OptionalLong.of(6))).isEqualTo(new SeqCache.Allocated(7, true));
    }

    @Test
    void aSeqHandedOutBeforeAReseedIsNoLongerCurrentThoughAnotherMessageMayHaveItNow() {
        SeqCache.Turn c = new SeqCache.Turn(conversation());
        assertThat(cache().next(c, "m1", "u", ALLOWED, OptionalLong.of(0))).isEqualTo(new SeqCache.Allocated(1, false));
        SeqCache.Turn later = new SeqCache.Turn(c.conversationId());
        assertThat(cache().next(later, "m2", "u", null, OptionalLong.empty())).isEqualTo(new SeqCache.Allocated(2, false));
        // Nothing was stored: 1 is taken back, and m2 gets it.
        cache().reseed(later, "m2", 0);
        assertThat(cache().next(later, "m2", "u", null, OptionalLong.empty())).isEqualTo(new SeqCache.Allocated(1, true));
        assertThat(cache().next(later, "m3", "u", null, OptionalLong.empty())).isEqualTo(new SeqCache.Allocated(2, true));
        SeqCache.Turn retries = new SeqCache.Turn(c.conversationId());
        assertThat(cache().next(retries, "m1", "u", null, OptionalLong.empty())).isEqualTo(new SeqCache.Duplicate(1, false));
        assertThat(cache().next(retries, "m2", "u", null, OptionalLong.empty())).isEqualTo(new SeqCache.Duplicate(1, true));
        assertThat(cache().next(retries, "m3", "u", null, OptionalLong.empty())).isEqualTo(new SeqCache.Duplicate(2, true));
    }

    @Test
    void aSeqRetakenCountsAsHandedOutThenForOtherTurnsButNotForItsOwn() throws Exception {
        String conversation = conversation();
        SeqCache.Turn first = new SeqCache.Turn(conversation);
        assertThat(cache().next(first, "m1", "u", ALLOWED, OptionalLong.of(0))).isEqualTo(new SeqCache.Allocated(1, false));
        SeqCache.Turn second = new SeqCache.Turn(conversation);
        assertThat(cache().next(second, "m2", "u", null, OptionalLong.empty())).isEqualTo(new SeqCache.Allocated(2, false));
        pause(1_200);
        SeqCache.Turn retry = new SeqCache.Turn(conversation);
        assertThat(cache().next(retry, "m2", "u", null, OptionalLong.empty())).isEqualTo(new SeqCache.Duplicate(2, true));
        assertThat(cache().quietMillis(retry)).as("since m2's seq was handed out").isGreaterThanOrEqualTo(1_000L);
        cache().retake(retry, "m2");
        SeqCache.Turn next = new SeqCache.Turn(conversation);
        assertThat(cache().next(next, "m3", "u", null, OptionalLong.empty())).isEqualTo(new SeqCache.Allocated(3, false));
        assertThat(cache().quietMillis(next)).as("since the retry took 2 up again").isBetween(0L, 900L);
        assertThatThrownBy(() -> cache().retake(retry, "m2")).isInstanceOf(SeqCache.TurnLost.class);
    }

    @Test
    void aForgottenClientMsgIdIsNewAgain() {
        SeqCache.Turn c = new SeqCache.Turn(conversation());
        cache().next(c, "m1", "u", ALLOWED, OptionalLong.of(0));
        cache().forget(c, "m1");
        assertThat(cache().next(c, "m1", "u", null, OptionalLong.empty())).isEqualTo(new SeqCache.Allocated(2, false));
    }

    @Test
    void aNewerTurnFencesOffTheOneBefore() {
        String conversation = conversation();
        SeqCache.Turn first = new SeqCache.Turn(conversation);
        assertThat(cache().next(first, "m1", "u", ALLOWED, OptionalLong.of(0))).isEqualTo(new SeqCache.Allocated(1, false));
        // The retry of an attempt that outlived its timeout, while that attempt still runs.
        SeqCache.Turn retry = new SeqCache.Turn(conversation);
        assertThat(cache().next(retry, "m1", "u", null, OptionalLong.empty())).isEqualTo(new SeqCache.Duplicate(1, true));
        assertThatThrownBy(() -> cache().next(first, "m1", "u", null, OptionalLong.empty())).isInstanceOf(SeqCache.TurnLost.class);
        assertThatThrownBy(() -> cache().forget(first, "m1")).isInstanceOf(SeqCache.TurnLost.class);
        assertThatThrownBy(() -> cache().reseed(first, "m1", 0)).isInstanceOf(SeqCache.TurnLost.class);
        assertThatThrownBy(() -> cache().remember(first, "m1", 5)).isInstanceOf(SeqCache.TurnLost.class);
        assertThatThrownBy(() -> cache().undo(first, "m1", 1, 5)).isInstanceOf(SeqCache.TurnLost.class);
        // Nothing the fenced turn tried took effect, and the newer turn goes on.
        assertThat(cache().next(retry, "m1", "u", null, OptionalLong.empty())).isEqualTo(new SeqCache.Duplicate(1, true));
        assertThat(cache().next(retry, "m2", "u", null, OptionalLong.empty())).isEqualTo(new SeqCache.Allocated(2, false));
    }

    @Test
    void quietCountsFromTheLastSeqHandedOutToAnotherTurn() {
        String conversation = conversation();
        SeqCache.Turn first = new SeqCache.Turn(conversation);
        assertThat(cache().next(first, "m1", "u", ALLOWED, OptionalLong.of(0))).isEqualTo(new SeqCache.Allocated(1, false));
        assertThat(cache().quietMillis(first)).as("its own seq is the only one").isEqualTo(Long.MAX_VALUE);
        SeqCache.Turn second = new SeqCache.Turn(conversation);
        assertThat(cache().next(second, "m2", "u", null, OptionalLong.empty())).isEqualTo(new SeqCache.Allocated(2, false));
        assertThat(cache().quietMillis(second)).as("since the first turn's seq").isBetween(0L, 5_000L);
        SeqCache.Turn third = new SeqCache.Turn(conversation);
        assertThat(cache().next(third, "m2", "u", null, OptionalLong.empty())).isEqualTo(new SeqCache.Duplicate(2, true));
        assertThat(cache().quietMillis(third)).as("since the second turn's seq").isBetween(0L, 5_000L);
        cache().reseed(third, "m2", 1);
        assertThat(cache().quietMillis(third)).as("none handed out since the reseed").isEqualTo(Long.MAX_VALUE);
        assertThatThrownBy(() -> cache().quietMillis(first)).isInstanceOf(SeqCache.TurnLost.class);
    }

    @Test
    void aTurnMustTakeItsConversationOverBeforeItWrites() {
        SeqCache.Turn turn = new SeqCache.Turn(conversation());
        assertThatThrownBy(() -> cache().forget(turn, "m1")).isInstanceOf(IllegalStateException.class)
                .isNotInstanceOf(SeqCache.TurnLost.class);
    }
}
