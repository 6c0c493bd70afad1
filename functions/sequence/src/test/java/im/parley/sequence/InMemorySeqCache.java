package im.parley.sequence;

import im.parley.eventing.message.MessageRejected.Reason;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;

/** The seq cache in memory, for unit tests; {@link SeqCacheContract} holds it to what Redis does. */
final class InMemorySeqCache implements SeqCache {

    /**
     * at and prev: when the last two seqs were handed out (ms), or -1; by: the server that handed out the last; epoch:
     * the turn that started or last reseeded it.
     */
    private record Counter(long n, long born, long at, long prev, String by, String epoch) {
        Counter(long n, long born, String epoch) {
            this(n, born, -1, -1, null, epoch);
        }

        Counter with(long n, long at, long prev, String by) {
            return new Counter(n, born, at, prev, by, epoch);
        }
    }

    private final Map<String, Counter> counters = new HashMap<>();
    /** epoch: the counter's that handed the seq out, or null for a seq found durably. */
    private record Seen(long seq, long at, String epoch) {
    }

    private final Map<String, Seen> ids = new HashMap<>();
    private final Map<String, Map<String, String>> rights = new HashMap<>();
    private final Map<String, String> turns = new HashMap<>();
    private final Map<String, Long> generations = new HashMap<>();
    private final long dedupeSeconds;
    private final long leaseSeconds;
    long nowSeconds = 1_000_000;
    /** Which server this is: a restart or a failover makes another. */
    private int server = 1;
    /** When this server started: a restart starts it again, a failover promotes a replica long up. */
    private long startedSeconds;

    InMemorySeqCache(long dedupeSeconds) {
        this(dedupeSeconds, SequenceAllocator.LEASE.toSeconds());
    }

    InMemorySeqCache(long dedupeSeconds, long leaseSeconds) {
        this.dedupeSeconds = dedupeSeconds;
        this.leaseSeconds = leaseSeconds;
    }

    synchronized void flush() {
        counters.clear();
        ids.clear();
        rights.clear();
        generations.clear();
        turns.clear();
    }

    /** What {@code PostingRightsCache.forget} does. */
    synchronized void forgetRights(String conversationId) {
        generations.merge(conversationId, 1L, Long::sum);
        rights.remove(conversationId);
    }

    /** What a restart that kept every write does: another server, the same data. */
    synchronized void restart() {
        server++;
        startedSeconds = nowSeconds;
    }

    /** Whether every seq handed out from a counter that {@code by} last counted on is known here. */
    private boolean vouches(String by) {
        return nowSeconds - startedSeconds > leaseSeconds || by().equals(by);
    }

    private String by() {
        return "server-" + server;
    }

    @Override
    public synchronized Step next(Turn turn, String clientMsgId, String userId, Fill fill, OptionalLong seed, Stored stored) {
        String conversationId = turn.conversationId();
        if (turn.claims()) {
            turns.put(conversationId, turn.token());
        } else {
            hold(turn);
        }
        turn.started();
        Seen seen = ids.get(conversationId + "/" + clientMsgId);
        if (seen != null && nowSeconds - seen.at() < dedupeSeconds) {
            Counter counter = counters.get(conversationId);
            return new Duplicate(seen.seq(), seen.epoch() != null && counter != null && seen.epoch().equals(counter.epoch())
                    && vouches(counter.by()));
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
            if (seed.getAsLong() != 0 && !vouches(null)) {
                return new Restarted((nowSeconds - startedSeconds) * 1000);
            }
            counter = new Counter(seed.getAsLong(), seed.getAsLong() == 0 ? 0 : nowSeconds, turn.token());
        } else if (!vouches(counter.by())) {
            return new Restarted((nowSeconds - startedSeconds) * 1000);
        }
        String by = by();
        boolean follows = stored != null && counter.n() == stored.seq() && by.equals(counter.by()) && by.equals(stored.counter());
        counter = counter.with(counter.n() + 1, nowSeconds * 1000, counter.at(), by);
        counters.put(conversationId, counter);
        turn.allocated(true);
        turn.counter(by);
        ids.put(conversationId + "/" + clientMsgId, new Seen(counter.n(), nowSeconds, counter.epoch()));
        return new Allocated(counter.n(), nowSeconds - counter.born() < dedupeSeconds, follows);
    }

    @Override
    public synchronized void remember(Turn turn, String clientMsgId, long seq) {
        String conversationId = hold(turn);
        ids.put(conversationId + "/" + clientMsgId, new Seen(seq, nowSeconds, null));
    }

    @Override
    public synchronized void retake(Turn turn, String clientMsgId) {
        String conversationId = hold(turn);
        Counter counter = counters.get(conversationId);
        counters.put(conversationId, counter.with(counter.n(), nowSeconds * 1000, counter.prev(), counter.by()));
    }

    @Override
    public synchronized void forget(Turn turn, String clientMsgId) {
        String conversationId = hold(turn);
        ids.remove(conversationId + "/" + clientMsgId);
    }

    @Override
    public synchronized void reseed(Turn turn, String clientMsgId, long storedMark) {
        String conversationId = hold(turn);
        counters.put(conversationId, new Counter(storedMark, nowSeconds, turn.token()));
        ids.remove(conversationId + "/" + clientMsgId);
        turn.allocated(false);
    }

    @Override
    public synchronized long quietMillis(Turn turn) {
        Counter counter = counters.get(hold(turn));
        long last = counter == null ? -1 : turn.allocated() ? counter.prev() : counter.at();
        return last < 0 ? Long.MAX_VALUE : nowSeconds * 1000 - last;
    }

    /** What a failover to a replica that missed the last writes leaves: another server, the counter some seqs behind. */
    synchronized void windBack(String conversationId, long by) {
        Counter counter = counters.get(conversationId);
        counters.put(conversationId, counter.with(counter.n() - by, counter.at(), counter.prev(), counter.by()));
        server++;
    }

    @Override
    public synchronized void undo(Turn turn, String clientMsgId, long seq, long original) {
        String conversationId = hold(turn);
        Counter counter = counters.get(conversationId);
        if (counter != null && counter.n() == seq) {
            counters.put(conversationId, counter.with(seq - 1, counter.at(), counter.prev(), counter.by()));
        }
        ids.put(conversationId + "/" + clientMsgId, new Seen(original, nowSeconds, null));
    }

    private String hold(Turn turn) {
        if (turn.claims()) {
            throw new IllegalStateException("turn " + turn + " has not taken its conversation over");
        }
        if (!turn.token().equals(turns.get(turn.conversationId()))) {
            throw new TurnLost(turn);
        }
        return turn.conversationId();
    }

    /** The seq a clientMsgId has here, or null. */
    synchronized Long seqOf(String conversationId, String clientMsgId) {
        Seen seen = ids.get(conversationId + "/" + clientMsgId);
        return seen == null ? null : seen.seq();
    }
}
