package im.parley.messages;

import static org.assertj.core.api.Assertions.assertThat;

import im.parley.eventing.message.ContentType;
import im.parley.eventing.message.DeviceRef;
import im.parley.eventing.message.Message;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** What every {@link Messages} answers: the in-memory one for unit tests and the Cassandra one alike. */
public abstract class MessagesContract {

    protected abstract Messages messages();

    /** Records a message as persist stores it. */
    protected abstract void store(Message message) throws Exception;

    @Test
    void aMessageIsFoundAsItStandsAndNothingElse() throws Exception {
        String chat = "g:" + UUID.randomUUID();
        Instant at = Instant.parse("2026-12-01T10:00:00Z");
        Message original = new Message(chat, "c1", 1500, new DeviceRef("ann", "phone"), ContentType.TEXT, "hello", at,
                null, true, null);
        Message recall = new Message(chat, "r1", 1501, new DeviceRef("ben", "laptop"), ContentType.RECALL, "", at, 1500L,
                null, null);
        store(original);
        store(recall);
        assertThat(messages().find(chat, 1500)).contains(original);
        assertThat(messages().find(chat, 1501)).contains(recall);
        assertThat(messages().find(chat, 1502)).isEmpty();
        assertThat(messages().find("g:" + UUID.randomUUID(), 1500)).isEmpty();
    }
}
