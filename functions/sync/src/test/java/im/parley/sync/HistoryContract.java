package im.parley.sync;

import static org.assertj.core.api.Assertions.assertThat;

import im.parley.eventing.message.ContentType;
import im.parley.eventing.message.DeviceRef;
import im.parley.eventing.message.Message;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/** What every {@link History} reads, written as persist and receipt write it: in memory and in Cassandra alike. */
abstract class HistoryContract {

    abstract History history();

    /** What persist writes for a stored message, or for an amended one in place. */
    abstract void stored(Message message);

    abstract void joined(String userId, String conversationId);

    /** What receipt writes when a member's watermarks move. */
    abstract void marks(String conversationId, String userId, long read, long delivered);

    static String conversation() {
        return "d:ann:u" + UUID.randomUUID().toString().substring(0, 8);
    }

    static Message message(String conversationId, long seq) {
        return new Message(conversationId, "c" + seq, seq, new DeviceRef("ann", "phone"), ContentType.TEXT, "m" + seq,
                Instant.parse("2026-12-07T10:00:00Z").plusMillis(seq));
    }

    /** Seqs 990 to 1010: across the boundary of two buckets of 1,000 where the adapter keeps them in buckets. */
    String conversationAcrossBuckets() {
        String c = conversation();
        LongStream.rangeClosed(990, 1010).forEach(seq -> stored(message(c, seq)));
        return c;
    }

    @Test
    void pagesCrossBucketBoundariesInSeqOrderAndReadBackWhatWasStored() {
        String c = conversationAcrossBuckets();
        assertThat(history().after(c, 995, 10)).extracting(Message::serverSeq)
                .containsExactly(996L, 997L, 998L, 999L, 1000L, 1001L, 1002L, 1003L, 1004L, 1005L);
        assertThat(history().after(c, 1008, 10)).containsExactly(message(c, 1009), message(c, 1010));
        assertThat(history().after(c, 1010, 10)).isEmpty();
        assertThat(history().after(conversation(), 0, 10)).isEmpty();
    }

    @Test
    void pagesOfSeveralConversationsAreCappedAtTheirLimits() {
        String c = conversationAcrossBuckets();
        String none = conversation();
        assertThat(history().lastSeqs(List.of(c, none))).containsExactly(1010L, 0L);
        List<List<Message>> pages = history().pages(List.of(new History.Range(c, 995, 1010, 10),
                new History.Range(c, 0, 1010, 3), new History.Range(c, 1008, 1010, 2), new History.Range(none, 0, 0, 5)));
        assertThat(pages.get(0)).extracting(Message::serverSeq)
                .containsExactly(996L, 997L, 998L, 999L, 1000L, 1001L, 1002L, 1003L, 1004L, 1005L);
        assertThat(pages.get(1)).as("seqs 1 to 989 are not there").extracting(Message::serverSeq)
                .containsExactly(990L, 991L, 992L);
        assertThat(pages.get(2)).extracting(Message::serverSeq).containsExactly(1009L, 1010L);
        assertThat(pages.get(3)).isEmpty();
    }

    @Test
    void anAmendedMessageReadsAsItStandsAndARecalledOneWithoutItsContent() {
        String c = conversation();
        stored(message(c, 1));
        stored(message(c, 2));
        Message first = message(c, 1);
        Message edited = new Message(c, first.clientMsgId(), 1, first.sender(), ContentType.TEXT, "fixed", first.sentAt(),
                null, true, null);
        Message recalled = new Message(c, "c2", 2, first.sender(), ContentType.TEXT, "m2", first.sentAt(), null, null, true);
        stored(edited);
        stored(recalled);
        Message recall = new Message(c, "r1", 3, first.sender(), ContentType.RECALL, "", first.sentAt(), 2L, null, null);
        stored(recall);
        assertThat(history().after(c, 0, 10)).containsExactly(edited,
                new Message(c, "c2", 2, first.sender(), ContentType.TEXT, "", first.sentAt(), null, null, true), recall);
        assertThat(history().lastSeq(c)).isEqualTo(3);
    }

    @Test
    void aUsersConversationsAndTheirMarks() {
        String c = conversation();
        String other = conversation();
        stored(message(c, 1));
        joined("ann", c);
        joined("ann", other);
        joined("ann", c);
        assertThat(history().conversationsOf("ann")).containsExactlyInAnyOrder(c, other);
        assertThat(history().conversationsOf("nobody")).isEmpty();
        assertThat(history().lastSeq(c)).isEqualTo(1);
        assertThat(history().lastSeq(other)).isZero();

        marks(c, "ann", 3, 5);
        marks(c, "ben", 4, 4);
        marks(c, "abe", 1, 2);
        assertThat(history().readAndDelivered(c, "ann")).containsExactly(3, 5);
        assertThat(history().readAndDelivered(c, "cat")).containsExactly(0, 0);
        assertThat(history().readAndDelivered(other, "ann")).containsExactly(0, 0);
        assertThat(history().readers(c, 3)).as("in user id order").containsExactly("ann", "ben");
        assertThat(history().readers(c, 1)).containsExactly("abe", "ann", "ben");
        assertThat(history().readers(c, 5)).isEmpty();
    }
}
