package im.parley.client;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A message in a conversation, as stored: {@code serverSeq} orders it in its conversation.
 *
 * @param contentType {@code text}, {@code image}, {@code file}, {@code custom}; {@code edit} and {@code recall} amend
 *                    the message at {@code refersTo}
 */
public record Message(String conversationId, String clientMsgId, long serverSeq, String senderUserId, String senderDeviceId,
                      String contentType, String content, String sentAt, Long refersTo, boolean edited, boolean recalled) {

    static Message of(JsonNode d) {
        return new Message(d.path("conversationId").asText(), d.path("clientMsgId").asText(), d.path("serverSeq").asLong(),
                d.path("sender").path("userId").asText(), d.path("sender").path("deviceId").asText(),
                d.path("contentType").asText(), d.path("content").asText(), d.path("sentAt").asText(),
                d.hasNonNull("refersTo") ? d.get("refersTo").asLong() : null, d.path("edited").asBoolean(),
                d.path("recalled").asBoolean());
    }
}
