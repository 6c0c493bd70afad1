package im.parley.persist;

import com.datastax.oss.driver.api.core.ConsistencyLevel;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.BatchStatement;
import com.datastax.oss.driver.api.core.cql.BatchType;
import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.Statement;
import im.parley.cassandra.MessageBuckets;
import im.parley.eventing.Attempt;
import im.parley.eventing.message.ContentType;
import im.parley.eventing.message.ConversationIds;
import im.parley.eventing.message.Message;
import im.parley.messages.CassandraMessages;
import im.parley.messages.Messages;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Messages in Cassandra's {@code messages} table, partitioned by conversation and seq bucket, with what sequencing
 * and a conversation list read back: the message's seq under its clientMsgId ({@code message_ids}), the stored
 * high-water mark, the sender's read watermark, and, for a 1:1 chat, the conversation in both users' lists (a group's members are listed by the
 * group function). The writes go as one unlogged batch: one request and one round trip. Each is idempotent, so a
 * batch half applied is finished by the retry; the batch only saves requests (Cassandra served three parallel
 * requests with about twice the CPU). A large write goes beside it, in parallel ({@link #BATCHED_BYTES}).
 */
public final class CassandraMessageStore implements MessageStore {

    /** Shorter than the Trigger's attempt timeout, so a slow write fails the attempt instead of outliving it. */
    static final Duration WRITE_TIMEOUT = Duration.ofSeconds(3);

    /**
     * A write larger than this (a long message, or an edit carrying one) goes as a request of its own, beside the
     * batch: Cassandra refuses a batch over {@code batch_size_fail_threshold} (50 KiB by default, below the 64 Ki
     * characters a message may hold) and logs a warning for each over 5 KiB.
     */
    static final int BATCHED_BYTES = 4 * 1024;

    /**
     * A batch holds writes up to this size in all: under the warning Cassandra logs for each batch over 5 KiB, and
     * far under the size it refuses, however many messages {@link #storeAll} is given.
     */
    static final int BATCH_BYTES = 5 * 1024;

    private final CqlSession session;
    private final PreparedStatement insert;
    private final PreparedStatement id;
    private final PreparedStatement state;
    private final PreparedStatement listed;
    private final PreparedStatement read;
    private final Messages messages;
    private final PreparedStatement amendment;
    private final PreparedStatement amended;
    private final PreparedStatement edit;
    private final PreparedStatement recall;
    private final PreparedStatement emptied;

    public CassandraMessageStore(CqlSession session) {
        this.session = session;
        this.insert = session.prepare("INSERT INTO messages (conversation_id, bucket, server_seq, client_msg_id, sender_user,"
                + " sender_device, content_type, content, sent_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
        this.id = session.prepare("INSERT INTO message_ids (conversation_id, client_msg_id, server_seq) VALUES (?, ?, ?)");
        // The write timestamp is the seq: a replayed older message can never move the mark back.
        this.state = session.prepare("UPDATE conversation_state USING TIMESTAMP ? SET persisted_seq = ?, last_sent_at = ?"
                + " WHERE conversation_id = ?");
        this.listed = session.prepare("INSERT INTO user_conversations (user_id, conversation_id) VALUES (?, ?)");
        // As the receipt function writes it: the seq is the timestamp, so the watermark never moves back.
        this.read = session.prepare("UPDATE read_state USING TIMESTAMP ? SET read_seq = ? WHERE conversation_id = ? AND user_id = ?");
        this.messages = new CassandraMessages(session);
        this.amendment = session.prepare("INSERT INTO messages (conversation_id, bucket, server_seq, client_msg_id, sender_user,"
                + " sender_device, content_type, content, sent_at, refers_to) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
        this.amended = session.prepare("SELECT content_type, recalled, edited_seq, amended_by FROM messages"
                + " WHERE conversation_id = ? AND bucket = ? AND server_seq = ?");
        this.edit = session.prepare("UPDATE messages SET content = ?, edited = true, edited_seq = ?, amended_by = amended_by + ?"
                + " WHERE conversation_id = ? AND bucket = ? AND server_seq = ?");
        this.recall = session.prepare("UPDATE messages SET content = '', recalled = true, amended_by = amended_by + ?"
                + " WHERE conversation_id = ? AND bucket = ? AND server_seq = ?");
        this.emptied = session.prepare("UPDATE messages SET content = '' WHERE conversation_id = ? AND bucket = ? AND server_seq = ?");
    }

    @Override
    public Message store(Message message, boolean again) {
        // Only a clientMsgId seen before can have a row already: new seqs are fenced above the stored mark.
        Message m = again ? messages.find(message.conversationId(), message.serverSeq()).orElse(message) : message;
        if (!m.clientMsgId().equals(message.clientMsgId())) {
            // Never ack one message as another: sequencing finds the seq is not this clientMsgId's on the retry.
            throw new IllegalStateException("seq " + m.serverSeq() + " of " + m.conversationId() + " holds "
                    + m.clientMsgId() + ", not " + message.clientMsgId());
        }
        if (m.refersTo() == null) {
            write(m, List.of());
            return m;
        }
        return amend(m);
    }

    /**
     * An edit or recall is stored as a message, and the message it refers to takes its latest state in the same
     * batch: an edit replaces the content unless a newer edit did (a replay) or the message was recalled; a recall
     * empties the message and every edit of it, so no stored copy of the content is left. One caller per conversation
     * at a time (ordered delivery) makes the read and the writes a unit.
     */
    private Message amend(Message m) {
        long original = m.refersTo();
        Row row = session.execute(amended.bind(m.conversationId(), MessageBuckets.of(original), original)
                .setConsistencyLevel(ConsistencyLevel.LOCAL_QUORUM).setTimeout(WRITE_TIMEOUT)).one();
        List<BoundStatement> writes = new ArrayList<>();
        Message stored = m;
        // Nothing to apply to a message gone or not a message: the amend function checked it, so never by design.
        boolean applies = row != null && !ContentType.valueOf(row.getString(0).toUpperCase(Locale.ROOT)).isAmendment();
        if (applies && m.contentType() == ContentType.RECALL) {
            stored = withContent(m, "");
            writes.add(recall.bind(Set.of(m.serverSeq()), m.conversationId(), MessageBuckets.of(original), original));
            for (Long edited : row.getSet(3, Long.class)) {
                writes.add(emptied.bind(m.conversationId(), MessageBuckets.of(edited), edited));
            }
        } else if (applies && row.getBoolean(1)) {
            stored = withContent(m, "");
        } else if (applies && (row.isNull(2) || row.getLong(2) < m.serverSeq())) {
            writes.add(edit.bind(m.content(), m.serverSeq(), Set.of(m.serverSeq()), m.conversationId(),
                    MessageBuckets.of(original), original));
        }
        write(stored, writes);
        return stored;
    }

    private static Message withContent(Message m, String content) {
        return new Message(m.conversationId(), m.clientMsgId(), m.serverSeq(), m.sender(), m.contentType(), content,
                m.sentAt(), m.refersTo(), m.edited(), m.recalled());
    }

    /**
     * Several new messages, of any conversations, in as few batches as {@link #BATCH_BYTES} allows: one request for a
     * handful of short messages, where {@link #store} makes one per message. For work that stores many conversations'
     * messages at once; each message is a first attempt (not found stored before) and not an amendment.
     */
    public void storeAll(List<Message> messages) {
        List<BoundStatement> writes = new ArrayList<>(messages.size() * 4);
        for (Message m : messages) {
            if (m.refersTo() != null) {
                throw new IllegalArgumentException("an amendment is stored alone: " + m.conversationId() + "/" + m.serverSeq());
            }
            writes.addAll(writes(m));
        }
        write(writes, messages.size() + " messages");
    }

    /**
     * The whole batch even for a message found stored: an earlier attempt may have applied only part of it.
     * {@code amending}: the writes an amendment makes to the message it refers to.
     */
    private void write(Message m, List<BoundStatement> amending) {
        List<BoundStatement> writes = writes(m);
        writes.addAll(1, amending);
        write(writes, "message " + m.conversationId() + "/" + m.serverSeq());
    }

    private List<BoundStatement> writes(Message m) {
        List<BoundStatement> writes = new ArrayList<>(6);
        String contentType = m.contentType().name().toLowerCase(Locale.ROOT);
        writes.add(m.refersTo() == null
                ? insert.bind(m.conversationId(), MessageBuckets.of(m.serverSeq()), m.serverSeq(), m.clientMsgId(),
                        m.sender().userId(), m.sender().deviceId(), contentType, m.content(), m.sentAt())
                : amendment.bind(m.conversationId(), MessageBuckets.of(m.serverSeq()), m.serverSeq(), m.clientMsgId(),
                        m.sender().userId(), m.sender().deviceId(), contentType, m.content(), m.sentAt(), m.refersTo()));
        writes.add(id.bind(m.conversationId(), m.clientMsgId(), m.serverSeq()));
        writes.add(state.bind(m.serverSeq(), m.serverSeq(), m.sentAt(), m.conversationId()));
        // What one sends, one has read: the sender's own messages never count as unread.
        writes.add(read.bind(m.serverSeq(), m.serverSeq(), m.conversationId(), m.sender().userId()));
        // A 1:1 chat enters both users' lists with its first message; later messages need not write it again.
        if (m.serverSeq() == 1) {
            for (String user : ConversationIds.directUsers(m.conversationId())) {
                writes.add(listed.bind(user, m.conversationId()));
            }
        }
        return writes;
    }

    /**
     * The writes as unlogged batches of up to {@link #BATCH_BYTES} (one for a message, unless it is long), with any
     * large write beside them, all in parallel.
     */
    private void write(List<BoundStatement> writes, String what) {
        Attempt.ensureLive();
        List<CompletableFuture<?>> requests = new ArrayList<>();
        List<BoundStatement> batched = new ArrayList<>(writes.size());
        int bytes = 0;
        for (BoundStatement write : writes) {
            int size = write.computeSizeInBytes(session.getContext());
            if (size > BATCHED_BYTES) {
                requests.add(execute(write));
                continue;
            }
            if (bytes + size > BATCH_BYTES && !batched.isEmpty()) {
                requests.add(execute(batched));
                batched = new ArrayList<>();
                bytes = 0;
            }
            batched.add(write);
            bytes += size;
        }
        if (!batched.isEmpty()) {
            requests.add(execute(batched));
        }
        try {
            CompletableFuture.allOf(requests.toArray(CompletableFuture[]::new)).join();
        } catch (CompletionException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new IllegalStateException(what + " not stored: " + cause.getMessage(), cause);
        }
    }

    private CompletableFuture<?> execute(List<BoundStatement> batched) {
        return execute(batched.size() == 1 ? batched.get(0) : BatchStatement.newInstance(BatchType.UNLOGGED).addAll(batched));
    }

    private CompletableFuture<?> execute(Statement<?> write) {
        return session.executeAsync(write.setConsistencyLevel(ConsistencyLevel.LOCAL_QUORUM).setTimeout(WRITE_TIMEOUT))
                .toCompletableFuture();
    }
}
