package im.parley.amend;

/** The data of {@code im.parley.message.recall.requested}: recall the message at {@code seq}. */
public record RecallRequested(String conversationId, String clientMsgId, long seq) {
}
