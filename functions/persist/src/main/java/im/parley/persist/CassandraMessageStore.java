package im.parley.persist;

import com.datastax.oss.driver.api.core.ConsistencyLevel;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.BatchStatement;
import com.datastax.oss.driver.api.core.cql.BatchType;
import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import im.parley.cassandra.MessageBuckets;
import im.parley.cassandra.MessageRows;
import im.parley.eventing.Attempt;
import im.parley.eventing.message.ConversationIds;
import im.parley.eventing.message.Message;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Messages in Cassandra's {@code messages} table, partitioned by conversation and seq bucket, with what sequencing
 * and a conversation list read back: the message's seq under its clientMsgId ({@code message_ids}), the stored
 * high-water mark, the sender's read watermark, and, for a 1:1 chat, the conversation in both users' lists (a group's members are listed by the
 * group function). The writes go as one unlogged batch: one request and one round trip. Each is idempotent, so a
 * batch half applied is finished by the retry; the batch only saves requests (Cassandra served three parallel
 * requests with about twice the CPU).
 */
public final class CassandraMessageStore implements MessageStore {

    /** Shorter than the Trigger's attempt timeout, so a slow write fails the attempt instead of outliving it. */
    static final Duration WRITE_TIMEOUT = Duration.ofSeconds(3);

    private final CqlSession session;
    private final PreparedStatement insert;
    private final PreparedStatement id;
    private final PreparedStatement state;
    private final PreparedStatement listed;
    private final PreparedStatement read;
    private final PreparedStatement first;

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
        this.first = session.prepare("SELECT " + MessageRows.COLUMNS + " FROM messages WHERE conversation_id = ? AND bucket = ?"
                + " AND server_seq = ?");
    }

    @Override
    public Message store(Message message, boolean again) {
        // Only a clientMsgId seen before can have a row already: new seqs are fenced above the stored mark.
        Message m = again ? stored(message).orElse(message) : message;
        if (!m.clientMsgId().equals(message.clientMsgId())) {
            // Never ack one message as another: sequencing finds the seq is not this clientMsgId's on the retry.
            throw new IllegalStateException("seq " + m.serverSeq() + " of " + m.conversationId() + " holds "
                    + m.clientMsgId() + ", not " + message.clientMsgId());
        }
        write(m);
        return m;
    }

    private Optional<Message> stored(Message m) {
        Row row = session.execute(first.bind(m.conversationId(), MessageBuckets.of(m.serverSeq()), m.serverSeq())
                .setConsistencyLevel(ConsistencyLevel.LOCAL_QUORUM).setTimeout(WRITE_TIMEOUT)).one();
        return Optional.ofNullable(row).map(MessageRows::message);
    }

    /** The whole batch even for a message found stored: an earlier attempt may have applied only part of it. */
    private void write(Message m) {
        List<BoundStatement> writes = new ArrayList<>(6);
        writes.add(insert.bind(m.conversationId(), MessageBuckets.of(m.serverSeq()), m.serverSeq(), m.clientMsgId(),
                m.sender().userId(), m.sender().deviceId(), m.contentType().name().toLowerCase(Locale.ROOT), m.content(),
                m.sentAt()));
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
        Attempt.ensureLive();
        try {
            session.execute(BatchStatement.newInstance(BatchType.UNLOGGED).addAll(writes)
                    .setConsistencyLevel(ConsistencyLevel.LOCAL_QUORUM).setTimeout(WRITE_TIMEOUT));
        } catch (RuntimeException e) {
            throw new IllegalStateException("message " + m.conversationId() + "/" + m.serverSeq() + " not stored: "
                    + e.getMessage(), e);
        }
    }
}
