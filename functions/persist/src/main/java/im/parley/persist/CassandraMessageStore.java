package im.parley.persist;

import com.datastax.oss.driver.api.core.ConsistencyLevel;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.BatchStatement;
import com.datastax.oss.driver.api.core.cql.BatchType;
import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import im.parley.cassandra.MessageBuckets;
import im.parley.eventing.message.ConversationIds;
import im.parley.eventing.message.Message;
import java.util.ArrayList;
import java.util.List;

/**
 * Messages in Cassandra's {@code messages} table, partitioned by conversation and seq bucket, plus what a
 * conversation list needs: the stored high-water mark and, for a 1:1 chat, the conversation in both users'
 * lists (a group's members are listed by the group function).
 */
public final class CassandraMessageStore implements MessageStore {

    private final CqlSession session;
    private final PreparedStatement insert;
    private final PreparedStatement state;
    private final PreparedStatement listed;

    public CassandraMessageStore(CqlSession session) {
        this.session = session;
        this.insert = session.prepare("INSERT INTO messages (conversation_id, bucket, server_seq, client_msg_id, sender_user,"
                + " sender_device, content_type, content, sent_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
        // The write timestamp is the seq: a replayed older message can never move the mark back.
        this.state = session.prepare("UPDATE conversation_state USING TIMESTAMP ? SET persisted_seq = ?, last_sent_at = ?"
                + " WHERE conversation_id = ?");
        this.listed = session.prepare("INSERT INTO user_conversations (user_id, conversation_id) VALUES (?, ?)");
    }

    @Override
    public void store(Message m) {
        session.execute(insert.bind(m.conversationId(), MessageBuckets.of(m.serverSeq()), m.serverSeq(), m.clientMsgId(),
                        m.sender().userId(), m.sender().deviceId(), m.contentType().name().toLowerCase(java.util.Locale.ROOT),
                        m.content(), m.sentAt())
                .setConsistencyLevel(ConsistencyLevel.LOCAL_QUORUM));
        List<BoundStatement> after = new ArrayList<>();
        after.add(state.bind(m.serverSeq(), m.serverSeq(), m.sentAt(), m.conversationId()));
        // A 1:1 chat enters both users' lists with its first message; later messages need not write it again.
        if (m.serverSeq() == 1) {
            for (String user : ConversationIds.directUsers(m.conversationId())) {
                after.add(listed.bind(user, m.conversationId()));
            }
        }
        session.execute(BatchStatement.newInstance(BatchType.UNLOGGED).addAll(after)
                .setConsistencyLevel(ConsistencyLevel.LOCAL_QUORUM));
    }
}
