package im.parley.eventing.message;

import java.time.Instant;

/** duplicate is true for a retried clientMsgId: the message was stored before, so only its sender is acked again. */
public record MessagePersisted(Message message, Instant persistedAt, Boolean duplicate) {
}
