package im.parley.eventing.sync;

import im.parley.eventing.message.Message;

/** One row of the conversation list: unread = lastSeq - readSeq. */
public record ConversationSummary(String conversationId, long lastSeq, long readSeq, Long deliveredSeq, long unread,
                                  Message lastMessage) {
}
