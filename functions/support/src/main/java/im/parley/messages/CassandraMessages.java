package im.parley.messages;

import com.datastax.oss.driver.api.core.ConsistencyLevel;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import im.parley.cassandra.MessageBuckets;
import im.parley.cassandra.MessageRows;
import im.parley.eventing.message.Message;
import java.util.Optional;

/** Messages from the {@code messages} table persist writes. */
public final class CassandraMessages implements Messages {

    private final CqlSession session;
    private final PreparedStatement one;

    public CassandraMessages(CqlSession session) {
        this.session = session;
        this.one = session.prepare("SELECT " + MessageRows.COLUMNS + " FROM messages WHERE conversation_id = ? AND bucket = ?"
                + " AND server_seq = ?");
    }

    /** At quorum, as persist writes: a message acked a moment ago is found. */
    @Override
    public Optional<Message> find(String conversationId, long seq) {
        return Optional.ofNullable(session.execute(one.bind(conversationId, MessageBuckets.of(seq), seq)
                .setConsistencyLevel(ConsistencyLevel.LOCAL_QUORUM)).one()).map(MessageRows::message);
    }
}
