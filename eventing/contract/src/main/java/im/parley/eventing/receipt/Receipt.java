package im.parley.eventing.receipt;

/** A watermark: the device has received (or read) the conversation up to seq. */
public record Receipt(String conversationId, long seq) {
}
