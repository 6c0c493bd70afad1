package im.parley.sequence;

import static org.assertj.core.api.Assertions.assertThat;

import im.parley.eventing.message.MessageRejected.Reason;
import java.util.OptionalLong;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** What every {@link SeqCache} does: the in-memory one for unit tests and the Redis one alike. */
abstract class SeqCacheContract {

    static final SeqCache.Fill ALLOWED = new SeqCache.Fill(null, "0");

    abstract SeqCache cache();

    /** Loses everything, as a Redis flush or failover does. */
    abstract void flush() throws Exception;

    /** What the friend-request and group functions do when the facts behind a right change. */
    abstract void forgetRights(String conversationId) throws Exception;

    static String conversation() {
        return "d:u" + UUID.randomUUID().toString().substring(0, 8) + ":v";
    }

    @Test
    void aNewConversationAsksForTheRightThenTheSeedThenCounts() {
        String c = conversation();
        assertThat(cache().next(c, "m1", "u", null, OptionalLong.empty())).isInstanceOf(SeqCache.RightUnknown.class);
        SeqCache.RightUnknown unknown = (SeqCache.RightUnknown) cache().next(c, "m1", "u", null, OptionalLong.empty());
        SeqCache.Fill fill = new SeqCache.Fill(null, unknown.generation());
        assertThat(cache().next(c, "m1", "u", fill, OptionalLong.empty())).isInstanceOf(SeqCache.CounterMissing.class);
        assertThat(cache().next(c, "m1", "u", null, OptionalLong.of(41))).isEqualTo(new SeqCache.Allocated(42, true));
        assertThat(cache().next(c, "m2", "u", null, OptionalLong.empty())).isEqualTo(new SeqCache.Allocated(43, true));
        assertThat(cache().next(c, "m1", "u", null, OptionalLong.empty())).isEqualTo(new SeqCache.Duplicate(42));
    }

    @Test
    void aCounterSeededFromNothingStoredIsNotYoung() {
        String c = conversation();
        assertThat(cache().next(c, "m1", "u", ALLOWED, OptionalLong.of(0))).isEqualTo(new SeqCache.Allocated(1, false));
        assertThat(cache().next(c, "m2", "u", null, OptionalLong.empty())).isEqualTo(new SeqCache.Allocated(2, false));
    }

    @Test
    void aCachedRefusalRefusesAndAForgottenRightIsAskedForAgain() throws Exception {
        String c = conversation();
        SeqCache.Fill blocked = new SeqCache.Fill(Reason.BLOCKED, "0");
        assertThat(cache().next(c, "m1", "u", blocked, OptionalLong.empty())).isEqualTo(new SeqCache.Refused(Reason.BLOCKED));
        assertThat(cache().next(c, "m2", "u", null, OptionalLong.empty())).isEqualTo(new SeqCache.Refused(Reason.BLOCKED));
        forgetRights(c);
        assertThat(cache().next(c, "m2", "u", null, OptionalLong.empty())).isInstanceOf(SeqCache.RightUnknown.class);
    }

    @Test
    void aRightReadBeforeTheFactsChangedIsUsedOnceButNeverCached() throws Exception {
        String c = conversation();
        SeqCache.RightUnknown before = (SeqCache.RightUnknown) cache().next(c, "m1", "u", null, OptionalLong.empty());
        forgetRights(c);
        SeqCache.Fill stale = new SeqCache.Fill(null, before.generation());
        assertThat(cache().next(c, "m1", "u", stale, OptionalLong.of(0))).isEqualTo(new SeqCache.Allocated(1, false));
        assertThat(cache().next(c, "m2", "u", null, OptionalLong.empty())).isInstanceOf(SeqCache.RightUnknown.class);
    }

    @Test
    void afterAFlushTheCounterIsSeededAgainAndUndoTakesBackTheLastSeq() throws Exception {
        String c = conversation();
        cache().next(c, "m1", "u", ALLOWED, OptionalLong.of(0));
        cache().next(c, "m2", "u", null, OptionalLong.empty());
        flush();
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
        String c = conversation();
        cache().next(c, "m1", "u", ALLOWED, OptionalLong.of(0));
        assertThat(cache().next(c, "m2", "u", null, OptionalLong.empty())).isEqualTo(new SeqCache.Allocated(2, false));
        // Say seqs up to 7 are stored: 2 was a reuse.
        cache().reseed(c, "m2", 7);
        assertThat(cache().next(c, "m2", "u", null, OptionalLong.empty())).isEqualTo(new SeqCache.Allocated(8, true));
        assertThat(cache().next(c, "m3", "u", null, OptionalLong.empty())).isEqualTo(new SeqCache.Allocated(9, true));
    }

    @Test
    void aForgottenClientMsgIdIsNewAgain() {
        String c = conversation();
        cache().next(c, "m1", "u", ALLOWED, OptionalLong.of(0));
        cache().forget(c, "m1");
        assertThat(cache().next(c, "m1", "u", null, OptionalLong.empty())).isEqualTo(new SeqCache.Allocated(2, false));
    }
}
