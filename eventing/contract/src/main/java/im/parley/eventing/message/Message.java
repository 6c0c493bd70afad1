package im.parley.eventing.message;

import java.time.Instant;

/** A sequenced message as stored once per conversation and delivered to members. */
public record Message(String conversationId, String clientMsgId, long serverSeq, DeviceRef sender,
                      ContentType contentType, String content, Instant sentAt) {
}
