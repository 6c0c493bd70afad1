package im.parley.sync;

import im.parley.eventing.message.Message;
import java.util.List;

/** What sync reads: stored messages by seq, a user's conversations and read state. */
public interface History {

    /** Up to {@code limit} messages after {@code afterSeq}, in seq order. */
    List<Message> after(String conversationId, long afterSeq, int limit);

    /** The last stored seq, 0 for none. */
    long lastSeq(String conversationId);

    /** Where a page of one conversation starts, how far the conversation goes, and how many messages are wanted. */
    record Range(String conversationId, long afterSeq, long lastSeq, int limit) {
    }

    /** The last stored seq of each conversation (0 for none), in their order; an adapter may read them at once. */
    default List<Long> lastSeqs(List<String> conversationIds) {
        return conversationIds.stream().map(this::lastSeq).toList();
    }

    /**
     * A page per range, in their order: up to {@code limit} messages after {@code afterSeq}, in seq order; an
     * adapter may read them at once, and may return fewer than the limit where seqs are missing.
     */
    default List<List<Message>> pages(List<Range> ranges) {
        return ranges.stream().map(r -> after(r.conversationId(), r.afterSeq(), r.limit())).toList();
    }

    List<String> conversationsOf(String userId);

    /** The user's read and delivered watermarks in the conversation, 0 when none. */
    long[] readAndDelivered(String conversationId, String userId);

    /** The members whose read watermark is at or past seq, in user id order. */
    List<String> readers(String conversationId, long seq);
}
