package im.parley.sequence;

import im.parley.eventing.message.MessageRejected.Reason;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;

/** The seq cache in memory, for unit tests; {@link SeqCacheContract} holds it to what Redis does. */
final class InMemorySeqCache implements SeqCache {

    private record Counter(long n, long born) {
    }

    private final Map<String, Counter> counters = new HashMap<>();
    private record Seen(long seq, long at) {
    }

    private final Map<String, Seen> ids = new HashMap<>();
    private final Map<String, Map<String, String>> rights = new HashMap<>();
    private final Map<String, Long> generations = new HashMap<>();
    private final long dedupeSeconds;
    long nowSeconds = 1_000_000;

    InMemorySeqCache(long dedupeSeconds) {
        this.dedupeSeconds = dedupeSeconds;
    }

    void flush() {
        counters.clear();
        ids.clear();
        rights.clear();
        generations.clear();
    }

    /** What {@code PostingRightsCache.forget} does. */
    void forgetRights(String conversationId) {
        generations.merge(conversationId, 1L, Long::sum);
        rights.remove(conversationId);
    }

    @Override
    public Step next(String conversationId, String clientMsgId, String userId, Fill fill, OptionalLong seed) {
        Seen seen = ids.get(conversationId + "/" + clientMsgId);
        if (seen != null && nowSeconds - seen.at() < dedupeSeconds) {
            return new Duplicate(seen.seq());
        }
        String generation = Long.toString(generations.getOrDefault(conversationId, 0L));
        String right = rights.getOrDefault(conversationId, Map.of()).get(userId);
        if (right == null && fill != null) {
            right = fill.refusal() == null ? "ok" : fill.refusal().code();
            if (generation.equals(fill.generation())) {
                rights.computeIfAbsent(conversationId, c -> new HashMap<>()).put(userId, right);
            }
        }
        if (right == null) {
            return new RightUnknown(generation);
        }
        if (!right.equals("ok")) {
            return new Refused(Reason.ofCode(right).orElseThrow());
        }
        Counter counter = counters.get(conversationId);
        if (counter == null) {
            if (seed.isEmpty()) {
                return new CounterMissing();
            }
            counter = new Counter(seed.getAsLong(), seed.getAsLong() == 0 ? 0 : nowSeconds);
        }
        counter = new Counter(counter.n() + 1, counter.born());
        counters.put(conversationId, counter);
        ids.put(conversationId + "/" + clientMsgId, new Seen(counter.n(), nowSeconds));
        return new Allocated(counter.n(), nowSeconds - counter.born() < dedupeSeconds);
    }

    @Override
    public void remember(String conversationId, String clientMsgId, long seq) {
        ids.put(conversationId + "/" + clientMsgId, new Seen(seq, nowSeconds));
    }

    @Override
    public void forget(String conversationId, String clientMsgId) {
        ids.remove(conversationId + "/" + clientMsgId);
    }

    @Override
    public void reseed(String conversationId, String clientMsgId, long storedMark) {
        counters.put(conversationId, new Counter(storedMark, nowSeconds));
        ids.remove(conversationId + "/" + clientMsgId);
    }

    /** What a failover to a replica that missed the last writes leaves: the counter some seqs behind. */
    void windBack(String conversationId, long by) {
        Counter counter = counters.get(conversationId);
        counters.put(conversationId, new Counter(counter.n() - by, counter.born()));
    }

    @Override
    public void undo(String conversationId, String clientMsgId, long seq, long original) {
        Counter counter = counters.get(conversationId);
        if (counter != null && counter.n() == seq) {
            counters.put(conversationId, new Counter(seq - 1, counter.born()));
        }
        ids.put(conversationId + "/" + clientMsgId, new Seen(original, nowSeconds));
    }
}
