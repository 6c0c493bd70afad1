package im.parley.sequence;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;
import org.junit.jupiter.api.Test;

/** What every {@link SeqLedger} does: the in-memory one for unit tests and the Cassandra one alike. */
abstract class SeqLedgerContract {

    abstract SeqLedger ledger();

    /** What persist writes for a stored message, as far as the ledger reads it. */
    abstract void stored(String conversationId, String clientMsgId, long seq);

    /** A clientMsgId's seq written alone: a write that outlived its attempt, or the first half of a batch. */
    abstract void idOnly(String conversationId, String clientMsgId, long seq);

    /** A high-water mark where earlier versions recorded it, which persist no longer writes. */
    abstract void recordedByAnEarlierVersion(String conversationId, long seq);

    static String conversation() {
        return "d:u" + UUID.randomUUID().toString().substring(0, 8) + ":v";
    }

    private long storedMark(String conversationId) {
        return ledger().storedMark(conversationId).toCompletableFuture().join();
    }

    @Test
    void aConversationWithNothingStoredHasNoSeqsAndMarksOfZero() {
        String c = conversation();
        assertThat(ledger().seqOf(c, "m1")).isEmpty();
        assertThat(ledger().highWaterMark(c)).isZero();
        assertThat(storedMark(c)).isZero();
    }

    @Test
    void itReadsWhatPersistStoredInThatConversationOnly() {
        String c = conversation();
        String other = conversation();
        stored(c, "m1", 1);
        stored(c, "m2", 2);
        stored(c, "m1", 1); // stored again, as a retry does
        assertThat(ledger().seqOf(c, "m1")).hasValue(1);
        assertThat(ledger().seqOf(c, "m2")).hasValue(2);
        assertThat(ledger().highWaterMark(c)).isEqualTo(2);
        assertThat(storedMark(c)).isEqualTo(2);
        assertThat(ledger().seqOf(other, "m1")).isEmpty();
        assertThat(ledger().highWaterMark(other)).isZero();
    }

    @Test
    void aLowerSeqStoredLaterNeverLowersTheMarks() {
        String c = conversation();
        stored(c, "m3", 3);
        stored(c, "m2", 2);
        assertThat(ledger().highWaterMark(c)).isEqualTo(3);
        assertThat(storedMark(c)).isEqualTo(3);
    }

    @Test
    void aClientMsgIdDoesNotKeepASeqThatAnotherMessageIsStoredUnder() {
        String c = conversation();
        stored(c, "m2", 2);
        idOnly(c, "m1", 2);
        assertThat(ledger().seqOf(c, "m1")).isEmpty();
        assertThat(ledger().seqOf(c, "m2")).hasValue(2);
    }

    /** Its batch half applied: the retry completes it under the same seq. */
    @Test
    void aClientMsgIdWhoseMessageIsNotStoredYetKeepsItsSeq() {
        String c = conversation();
        idOnly(c, "m1", 5);
        assertThat(ledger().seqOf(c, "m1")).hasValue(5);
    }

    @Test
    void aMarkAnEarlierVersionRecordedRaisesTheHighWaterMarkButNotTheStoredMark() {
        String c = conversation();
        stored(c, "m1", 1);
        recordedByAnEarlierVersion(c, 5);
        assertThat(ledger().highWaterMark(c)).isEqualTo(5);
        assertThat(storedMark(c)).isEqualTo(1);
    }
}
