package im.parley.cassandra;

import com.datastax.oss.driver.api.core.cql.Row;
import im.parley.eventing.message.ContentType;
import im.parley.eventing.message.DeviceRef;
import im.parley.eventing.message.Message;
import java.util.Locale;

/** A row of the {@code messages} table as a {@link Message}: persist and sync read it the same way. */
public final class MessageRows {

    /** The columns {@link #message} reads, in its order. */
    public static final String COLUMNS =
            "conversation_id, server_seq, client_msg_id, sender_user, sender_device, content_type, content, sent_at";

    private MessageRows() {
    }

    public static Message message(Row row) {
        return new Message(row.getString(0), row.getString(2), row.getLong(1),
                new DeviceRef(row.getString(3), row.getString(4)),
                ContentType.valueOf(row.getString(5).toUpperCase(Locale.ROOT)), row.getString(6), row.getInstant(7));
    }
}
