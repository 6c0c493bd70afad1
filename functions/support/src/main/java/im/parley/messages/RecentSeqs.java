package im.parley.messages;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What this process knows of the seqs of its recently active conversations: the last one sequencing handed out here,
 * with the counter that handed it out, and the highest one persist stored here once Cassandra acknowledged it. When
 * the two are the same seq, sequencing offers it to the counter as the conversation's stored mark, so the steady
 * state needs no read of the mark from Cassandra. Only facts go in; a conversation not held here, or one another
 * process has gone on with, is read from Cassandra as before.
 */
public final class RecentSeqs {

    /** About 200 bytes an entry: some 13 MB for the most recently active conversations. */
    public static final int DEFAULT_CAPACITY = 65_536;

    /**
     * @param counter which counter handed the seq out, in the seq cache's own terms (for Redis, the server's run id)
     */
    public record HandedOut(long seq, String counter) {
    }

    private static final class Known {
        HandedOut handedOut;
        long stored = -1;
    }

    private final Map<String, Known> conversations;

    public RecentSeqs() {
        this(DEFAULT_CAPACITY);
    }

    public RecentSeqs(int capacity) {
        this.conversations = new LinkedHashMap<>(1024, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Known> eldest) {
                return size() > capacity;
            }
        };
    }

    /** Sequencing gave a message a new seq here. */
    public synchronized void handedOut(String conversationId, long seq, String counter) {
        conversations.computeIfAbsent(conversationId, c -> new Known()).handedOut = new HandedOut(seq, counter);
    }

    /** Cassandra has acknowledged the message at {@code seq}; a lower one, stored again by a retry, changes nothing. */
    public synchronized void stored(String conversationId, long seq) {
        Known known = conversations.computeIfAbsent(conversationId, c -> new Known());
        known.stored = Math.max(known.stored, seq);
    }

    /** The last seq handed out here, if it is also the highest stored here. */
    public synchronized Optional<HandedOut> handedOutAndStored(String conversationId) {
        Known known = conversations.get(conversationId);
        return known == null || known.handedOut == null || known.handedOut.seq() != known.stored
                ? Optional.empty() : Optional.of(known.handedOut);
    }
}
