package im.parley.cassandra;

import com.datastax.oss.driver.api.core.cql.Row;
import im.parley.eventing.message.ContentType;
import im.parley.eventing.message.DeviceRef;
import im.parley.eventing.message.Message;
import java.util.Locale;

/** A row of the {@code messages} table as a {@link Message}: persist, sync and amend read it the same way. */
public final class MessageRows {

    /**
     * The columns {@link #message} reads, in its order. Not a compile-time constant, which javac would copy into
     * each reader's class, where an incremental build would keep an older list.
     */
    public static final String COLUMNS = String.join(", ", "conversation_id", "server_seq", "client_msg_id", "sender_user",
            "sender_device", "content_type", "content", "sent_at", "refers_to", "edited", "recalled");

    private MessageRows() {
    }

    /** As it stands: a recalled message's content is gone, whatever an edit that raced the recall wrote. */
    public static Message message(Row row) {
        boolean recalled = row.getBoolean(10);
        return new Message(row.getString(0), row.getString(2), row.getLong(1),
                new DeviceRef(row.getString(3), row.getString(4)),
                ContentType.valueOf(row.getString(5).toUpperCase(Locale.ROOT)), recalled ? "" : row.getString(6),
                row.getInstant(7), row.isNull(8) ? null : row.getLong(8), row.getBoolean(9) ? Boolean.TRUE : null,
                recalled ? Boolean.TRUE : null);
    }
}
