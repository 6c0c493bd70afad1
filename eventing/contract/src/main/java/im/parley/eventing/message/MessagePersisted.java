package im.parley.eventing.message;

import java.time.Instant;

public record MessagePersisted(Message message, Instant persistedAt) {
}
