package im.parley.amend;

/** The data of {@code im.parley.message.edit.requested}: replace the text of the message at {@code seq}. */
public record EditRequested(String conversationId, String clientMsgId, long seq, String content) {
}
