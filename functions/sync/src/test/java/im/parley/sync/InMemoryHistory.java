package im.parley.sync;

import im.parley.eventing.message.Message;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.TreeSet;

/** History in memory, written as persist and receipt write the tables; it passes {@link HistoryContract}. */
final class InMemoryHistory implements History {

    private final Map<String, NavigableMap<Long, Message>> messages = new HashMap<>();
    private final Map<String, TreeSet<String>> conversations = new HashMap<>();
    /** conversation to user to {read, delivered}, users in id order. */
    private final Map<String, TreeMap<String, long[]>> marks = new HashMap<>();
    int lastSeqReads;

    /** What persist writes: the message under its seq (an amendment rewrites it in place). */
    void stored(Message message) {
        messages.computeIfAbsent(message.conversationId(), c -> new TreeMap<>()).put(message.serverSeq(), message);
    }

    void joined(String userId, String conversationId) {
        conversations.computeIfAbsent(userId, u -> new TreeSet<>()).add(conversationId);
    }

    /** What receipt writes: a member's watermarks. */
    void marks(String conversationId, String userId, long read, long delivered) {
        marks.computeIfAbsent(conversationId, c -> new TreeMap<>()).put(userId, new long[] {read, delivered});
    }

    @Override
    public List<Message> after(String conversationId, long afterSeq, int limit) {
        return messages.getOrDefault(conversationId, new TreeMap<>()).tailMap(afterSeq, false).values().stream()
                .limit(limit).map(InMemoryHistory::asItStands).toList();
    }

    /** A recalled message's content is gone, as the Cassandra rows read it. */
    private static Message asItStands(Message m) {
        return m.isRecalled() ? new Message(m.conversationId(), m.clientMsgId(), m.serverSeq(), m.sender(),
                m.contentType(), "", m.sentAt(), m.refersTo(), m.edited(), m.recalled()) : m;
    }

    @Override
    public long lastSeq(String conversationId) {
        lastSeqReads++;
        NavigableMap<Long, Message> stored = messages.get(conversationId);
        return stored == null || stored.isEmpty() ? 0 : stored.lastKey();
    }

    @Override
    public List<String> conversationsOf(String userId) {
        return List.copyOf(conversations.getOrDefault(userId, new TreeSet<>()));
    }

    @Override
    public long[] readAndDelivered(String conversationId, String userId) {
        return marks.getOrDefault(conversationId, new TreeMap<>()).getOrDefault(userId, new long[] {0, 0}).clone();
    }

    @Override
    public List<String> readers(String conversationId, long seq) {
        List<String> found = new ArrayList<>();
        marks.getOrDefault(conversationId, new TreeMap<>()).forEach((user, mark) -> {
            if (mark[0] >= seq) {
                found.add(user);
            }
        });
        return found;
    }
}
