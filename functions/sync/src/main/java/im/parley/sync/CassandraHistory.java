package im.parley.sync;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import im.parley.cassandra.MessageBuckets;
import im.parley.cassandra.MessageRows;
import im.parley.eventing.message.Message;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** History from the tables persist writes (messages in seq buckets of 1,000, conversation_state). */
public final class CassandraHistory implements History {

    private final CqlSession session;
    private final PreparedStatement page;
    private final PreparedStatement last;
    private final PreparedStatement listed;
    private final PreparedStatement marks;
    private final PreparedStatement readMarks;

    public CassandraHistory(CqlSession session) {
        this.session = session;
        String columns = MessageRows.COLUMNS;
        this.page = session.prepare("SELECT " + columns + " FROM messages WHERE conversation_id = ? AND bucket = ?"
                + " AND server_seq > ? LIMIT ?");
        this.last = session.prepare("SELECT persisted_seq FROM conversation_state WHERE conversation_id = ?");
        this.listed = session.prepare("SELECT conversation_id FROM user_conversations WHERE user_id = ?");
        this.marks = session.prepare("SELECT read_seq, delivered_seq FROM read_state WHERE conversation_id = ? AND user_id = ?");
        this.readMarks = session.prepare("SELECT user_id, read_seq FROM read_state WHERE conversation_id = ?");
    }

    @Override
    public List<Message> after(String conversationId, long afterSeq, int limit) {
        long lastSeq = lastSeq(conversationId);
        List<Message> messages = new ArrayList<>();
        for (long bucket = MessageBuckets.of(afterSeq + 1); messages.size() < limit && bucket <= MessageBuckets.of(lastSeq); bucket++) {
            for (Row row : session.execute(page.bind(conversationId, bucket, afterSeq, limit - messages.size()))) {
                messages.add(MessageRows.message(row));
            }
        }
        return messages;
    }

    @Override
    public List<Long> lastSeqs(List<String> conversationIds) {
        List<CompletableFuture<Long>> reads = conversationIds.stream()
                .map(c -> session.executeAsync(last.bind(c)).toCompletableFuture().thenApply(rs -> {
                    Row row = rs.one();
                    return row == null || row.isNull(0) ? 0L : row.getLong(0);
                })).toList();
        return reads.stream().map(CompletableFuture::join).toList();
    }

    /** Every bucket a range can need is read at once; a range spans at most limit seqs, so one or two buckets. */
    @Override
    public List<List<Message>> pages(List<Range> ranges) {
        List<List<CompletableFuture<List<Message>>>> reads = new ArrayList<>();
        for (Range range : ranges) {
            List<CompletableFuture<List<Message>>> buckets = new ArrayList<>();
            long to = Math.min(MessageBuckets.of(range.lastSeq()), MessageBuckets.of(range.afterSeq() + range.limit()));
            for (long bucket = MessageBuckets.of(range.afterSeq() + 1); bucket <= to; bucket++) {
                buckets.add(session.executeAsync(page.bind(range.conversationId(), bucket, range.afterSeq(), range.limit())
                        .setPageSize(Math.max(range.limit(), 1))).toCompletableFuture().thenApply(rs -> {
                            List<Message> messages = new ArrayList<>();
                            rs.currentPage().forEach(row -> messages.add(MessageRows.message(row)));
                            return messages;
                        }));
            }
            reads.add(buckets);
        }
        List<List<Message>> pages = new ArrayList<>(ranges.size());
        for (int i = 0; i < ranges.size(); i++) {
            List<Message> messages = new ArrayList<>();
            reads.get(i).forEach(bucket -> messages.addAll(bucket.join()));
            pages.add(messages.size() > ranges.get(i).limit() ? List.copyOf(messages.subList(0, ranges.get(i).limit())) : messages);
        }
        return pages;
    }

    @Override
    public long lastSeq(String conversationId) {
        Row row = session.execute(last.bind(conversationId)).one();
        return row == null || row.isNull(0) ? 0 : row.getLong(0);
    }

    @Override
    public List<String> conversationsOf(String userId) {
        List<String> conversations = new ArrayList<>();
        session.execute(listed.bind(userId)).forEach(row -> conversations.add(row.getString(0)));
        return conversations;
    }

    @Override
    public long[] readAndDelivered(String conversationId, String userId) {
        Row row = session.execute(marks.bind(conversationId, userId)).one();
        if (row == null) {
            return new long[] {0, 0};
        }
        return new long[] {row.isNull(0) ? 0 : row.getLong(0), row.isNull(1) ? 0 : row.getLong(1)};
    }

    @Override
    public List<String> readers(String conversationId, long seq) {
        List<String> found = new ArrayList<>();
        for (Row row : session.execute(readMarks.bind(conversationId))) {
            if (!row.isNull(1) && row.getLong(1) >= seq) {
                found.add(row.getString(0));
            }
        }
        return found;
    }
}
