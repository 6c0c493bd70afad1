package im.parley.persist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.Row;
import im.parley.cassandra.MigratedKeyspace;
import im.parley.eventing.message.ContentType;
import im.parley.eventing.message.DeviceRef;
import im.parley.eventing.message.Message;
import im.parley.stack.CassandraServer;
import im.parley.stack.junit.LocalStack;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

@LocalStack
class CassandraMessageStoreIT {

    static CqlSession session;
    static CassandraMessageStore store;

    @BeforeAll
    static void start(CassandraServer cassandra) {
        session = MigratedKeyspace.open(cassandra, "persist_store");
        store = new CassandraMessageStore(session);
    }

    @AfterAll
    static void stop() {
        if (session != null) {
            session.close();
        }
    }

    static Message message(String conversation, long seq) {
        return new Message(conversation, "c" + seq, seq, new DeviceRef("alice", "phone"), ContentType.TEXT, "m" + seq,
                Instant.parse("2026-11-24T00:00:00Z").plusSeconds(seq));
    }

    @Test
    void messagesAreStoredOncePerSeqInBoundedBucketsAndAReplayChangesNothing() {
        for (long seq : new long[] {998, 999, 1000, 1001}) {
            store.store(message("d:alice:bob", seq), false);
        }
        store.store(message("d:alice:bob", 999), true);
        List<Row> first = session.execute("SELECT server_seq, content FROM messages WHERE conversation_id = 'd:alice:bob'"
                + " AND bucket = 0").all();
        List<Row> second = session.execute("SELECT server_seq FROM messages WHERE conversation_id = 'd:alice:bob'"
                + " AND bucket = 1").all();
        assertThat(first).extracting(r -> r.getLong(0)).containsExactly(998L, 999L);
        assertThat(first.get(1).getString(1)).isEqualTo("m999");
        assertThat(second).extracting(r -> r.getLong(0)).containsExactly(1000L, 1001L);
    }

    /** Several conversations' messages in one request leave what the same messages stored one by one leave. */
    @Test
    void severalConversationsMessagesAtOnceAsIfStoredOneByOne() {
        store.storeAll(List.of(message("d:gia:hal", 1), message("d:gia:ida", 7), message("d:gia:hal", 2)));
        assertThat(session.execute("SELECT server_seq, content FROM messages WHERE conversation_id = 'd:gia:hal'"
                + " AND bucket = 0").all()).extracting(r -> r.getLong(0)).containsExactly(1L, 2L);
        assertThat(read("d:gia:ida", 7).content()).isEqualTo("m7");
        assertThat(session.execute("SELECT server_seq FROM message_ids WHERE conversation_id = 'd:gia:ida' AND client_msg_id = 'c7'")
                .one().getLong(0)).isEqualTo(7);
        assertThat(session.execute("SELECT persisted_seq FROM conversation_state WHERE conversation_id = 'd:gia:hal'").one()
                .getLong(0)).isEqualTo(2);
        assertThat(session.execute("SELECT conversation_id FROM user_conversations WHERE user_id = 'hal'").all())
                .extracting(r -> r.getString(0)).containsExactly("d:gia:hal");
        assertThatThrownBy(() -> store.storeAll(List.of(amendment("d:gia:hal", 3, ContentType.RECALL, "", 1))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("stored alone");
    }

    /** Many long messages at once go in several batches: one would be over Cassandra's limit and refused whole. */
    @Test
    void manyLongMessagesAtOnceAreAllStored() {
        List<Message> messages = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            messages.add(new Message("d:kai:l" + i, "long" + i, 1, new DeviceRef("kai", "phone"), ContentType.TEXT,
                    "x".repeat(3_000), Instant.parse("2026-11-24T00:00:00Z")));
        }
        store.storeAll(messages);
        for (int i = 0; i < 20; i++) {
            assertThat(read("d:kai:l" + i, 1).content()).hasSize(3_000);
        }
    }

    static Message amendment(String conversation, long seq, ContentType kind, String content, long refersTo) {
        return new Message(conversation, "a" + seq, seq, new DeviceRef("alice", "laptop"), kind, content,
                Instant.parse("2026-11-24T00:00:00Z").plusSeconds(seq), refersTo, null, null);
    }

    static Message read(String conversation, long seq) {
        return im.parley.cassandra.MessageRows.message(session.execute("SELECT " + im.parley.cassandra.MessageRows.COLUMNS
                + " FROM messages WHERE conversation_id = ? AND bucket = 0 AND server_seq = ?", conversation, seq).one());
    }

    @Test
    void anEditShowsOnTheMessageUnlessANewerOneDidAndARecallLeavesNoCopyOfTheContent() {
        String chat = "d:alice:eve";
        store.store(message(chat, 1), false);
        store.store(message(chat, 2), false);
        assertThat(store.store(amendment(chat, 3, ContentType.EDIT, "first edit", 1), false).content()).isEqualTo("first edit");
        store.store(amendment(chat, 4, ContentType.EDIT, "second edit", 1), false);
        store.store(amendment(chat, 3, ContentType.EDIT, "first edit", 1), true); // a replay of the older edit
        Message edited = read(chat, 1);
        assertThat(edited.content()).isEqualTo("second edit");
        assertThat(edited.edited()).isTrue();
        assertThat(edited.recalled()).isNull();
        assertThat(read(chat, 3).refersTo()).isEqualTo(1L);
        assertThat(read(chat, 3).contentType()).isEqualTo(ContentType.EDIT);
        assertThat(read(chat, 2).edited()).as("other messages untouched").isNull();

        assertThat(store.store(amendment(chat, 5, ContentType.RECALL, "", 1), false).content()).isEmpty();
        Message recalled = read(chat, 1);
        assertThat(recalled.recalled()).isTrue();
        assertThat(recalled.content()).isEmpty();
        for (long edit : new long[] {3, 4}) {
            assertThat(session.execute("SELECT content FROM messages WHERE conversation_id = ? AND bucket = 0 AND server_seq = ?",
                    chat, edit).one().getString(0)).as("edit " + edit).isEmpty();
        }
        // An edit sequenced after the recall (the two raced) changes nothing and carries no content.
        assertThat(store.store(amendment(chat, 6, ContentType.EDIT, "too late", 1), false).content()).isEmpty();
        assertThat(read(chat, 1).content()).isEmpty();
        assertThat(read(chat, 6).content()).isEmpty();
        assertThat(session.execute("SELECT persisted_seq FROM conversation_state WHERE conversation_id = ?", chat).one()
                .getLong(0)).as("an amendment is a message of the conversation").isEqualTo(6);
    }

    @Test
    void theStoredMarkNeverMovesBackAndBothUsersListTheChat() {
        store.store(message("d:ann:ben", 1), false);
        store.store(message("d:ann:ben", 5), false);
        store.store(message("d:ann:ben", 3), false); // a replay of an older message
        Row state = session.execute("SELECT persisted_seq, last_sent_at FROM conversation_state WHERE conversation_id = 'd:ann:ben'").one();
        assertThat(state.getLong(0)).isEqualTo(5);
        assertThat(state.getInstant(1)).isEqualTo(Instant.parse("2026-11-24T00:00:05Z"));
        for (String user : List.of("ann", "ben")) {
            assertThat(session.execute("SELECT conversation_id FROM user_conversations WHERE user_id = ?", user).all())
                    .extracting(r -> r.getString(0)).contains("d:ann:ben");
        }
        store.store(message("d:cy:di", 2), false);
        assertThat(session.execute("SELECT conversation_id FROM user_conversations WHERE user_id = 'cy'").all())
                .as("listed by the first message only").isEmpty();
    }

    @Test
    void aStoredMessageCanBeFoundByItsClientMsgIdForSequencingToDedupe() {
        store.store(message("d:eve:fay", 4), false);
        Row id = session.execute("SELECT server_seq FROM message_ids WHERE conversation_id = 'd:eve:fay' AND client_msg_id = 'c4'")
                .one();
        assertThat(id).isNotNull();
        assertThat(id.getLong(0)).isEqualTo(4);
    }

    @Test
    void aResendWithOtherContentKeepsTheFirstAndAnAttemptThatStoredNothingStoresItsOwn() {
        Message first = message("d:gus:hal", 1);
        store.store(first, false);
        Message edited = new Message(first.conversationId(), first.clientMsgId(), 1, first.sender(), ContentType.TEXT,
                "edited", first.sentAt().plusSeconds(60));
        assertThat(store.store(edited, true)).as("what fanout delivers").isEqualTo(first);
        assertThat(session.execute("SELECT content FROM messages WHERE conversation_id = 'd:gus:hal' AND bucket = 0"
                + " AND server_seq = 1").one().getString(0)).isEqualTo("m1");
        // A redelivery whose first attempt stored nothing stores itself.
        Message unseen = message("d:gus:hal", 2);
        assertThat(store.store(unseen, true)).isEqualTo(unseen);
        assertThat(session.execute("SELECT content FROM messages WHERE conversation_id = 'd:gus:hal' AND bucket = 0"
                + " AND server_seq = 2").one().getString(0)).isEqualTo("m2");
    }

    @Test
    void aRetryNeverTakesOverASeqThatHoldsAnotherMessage() {
        Message held = message("d:ida:jo", 1);
        store.store(held, false);
        Message other = new Message(held.conversationId(), "other", 1, held.sender(), ContentType.TEXT, "x", held.sentAt());
        assertThatThrownBy(() -> store.store(other, true)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("holds c1, not other");
        assertThat(session.execute("SELECT client_msg_id FROM messages WHERE conversation_id = 'd:ida:jo' AND bucket = 0"
                + " AND server_seq = 1").one().getString(0)).isEqualTo("c1");
    }

    @Test
    void sendingMovesTheSendersReadWatermarkAndNeverBack() {
        store.store(message("d:alice:ivy", 1), false);
        store.store(message("d:alice:ivy", 3), false);
        store.store(message("d:alice:ivy", 2), true);
        Row mark = session.execute("SELECT read_seq FROM read_state WHERE conversation_id = 'd:alice:ivy' AND user_id = 'alice'")
                .one();
        assertThat(mark.getLong(0)).isEqualTo(3);
        assertThat(session.execute("SELECT read_seq FROM read_state WHERE conversation_id = 'd:alice:ivy' AND user_id = 'ivy'")
                .one()).as("the recipient has read nothing").isNull();
    }

    @Test
    void theLargestMessagesAndEditsAFrameCarriesAreStored() {
        // 65,536 characters (the schema's limit) of two bytes each in UTF-8: 128 KiB, more than Cassandra takes in a
        // batch.
        String content = "é".repeat(65_536);
        Message big = new Message("d:alice:kim", "big", 1, new DeviceRef("alice", "phone"), ContentType.TEXT, content,
                Instant.parse("2026-11-24T00:00:00Z"));
        store.store(big, false);
        assertThat(read("d:alice:kim", 1).content()).isEqualTo(content);
        assertThat(session.execute("SELECT persisted_seq FROM conversation_state WHERE conversation_id = 'd:alice:kim'")
                .one().getLong(0)).isEqualTo(1);

        String edited = "ü".repeat(65_536);
        store.store(amendment("d:alice:kim", 2, ContentType.EDIT, edited, 1), false);
        assertThat(read("d:alice:kim", 1).content()).isEqualTo(edited);
        assertThat(read("d:alice:kim", 2).content()).isEqualTo(edited);
    }
}
