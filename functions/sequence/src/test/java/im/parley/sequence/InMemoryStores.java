package im.parley.sequence;

import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;

/** In-memory cache and ledger, for the allocator's logic only; the real ones are tested in SequenceStoresIT. */
final class InMemoryStores {

    static final class Cache implements SeqCache {
        final Map<String, Long> counters = new HashMap<>();
        final Map<String, Long> ids = new HashMap<>();

        void flush() {
            counters.clear();
            ids.clear();
        }

        @Override
        public OptionalLong seen(String conversationId, String clientMsgId) {
            Long seq = ids.get(conversationId + "/" + clientMsgId);
            return seq == null ? OptionalLong.empty() : OptionalLong.of(seq);
        }

        @Override
        public OptionalLong next(String conversationId, String clientMsgId) {
            if (!counters.containsKey(conversationId)) {
                return OptionalLong.empty();
            }
            long seq = counters.merge(conversationId, 1L, Long::sum);
            ids.put(conversationId + "/" + clientMsgId, seq);
            return OptionalLong.of(seq);
        }

        @Override
        public void seed(String conversationId, long highWaterMark) {
            counters.putIfAbsent(conversationId, highWaterMark);
        }

        @Override
        public void remember(String conversationId, String clientMsgId, long seq) {
            ids.put(conversationId + "/" + clientMsgId, seq);
        }
    }

    static final class Ledger implements SeqLedger {
        final Map<String, Long> ids = new HashMap<>();
        final Map<String, Long> marks = new HashMap<>();
        int failNextRecords;

        @Override
        public OptionalLong seqOf(String conversationId, String clientMsgId) {
            Long seq = ids.get(conversationId + "/" + clientMsgId);
            return seq == null ? OptionalLong.empty() : OptionalLong.of(seq);
        }

        @Override
        public long highWaterMark(String conversationId) {
            return marks.getOrDefault(conversationId, 0L);
        }

        @Override
        public void record(String conversationId, String clientMsgId, long seq) {
            if (failNextRecords > 0) {
                failNextRecords--;
                throw new IllegalStateException("Cassandra unavailable");
            }
            ids.put(conversationId + "/" + clientMsgId, seq);
            marks.merge(conversationId, seq, Math::max);
        }
    }

    private InMemoryStores() {
    }
}
