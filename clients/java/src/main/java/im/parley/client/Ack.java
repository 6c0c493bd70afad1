package im.parley.client;

/** The server stored a message of yours under {@code serverSeq}. */
public record Ack(String clientMsgId, String conversationId, long serverSeq) {
}
