package im.parley.client;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Each conversation's line of messages: the last seq shown (the cursor), and messages that came early, held until
 * the gap before them is filled. A message is released once, in seq order. Not thread-safe: the client uses it from
 * its one thread.
 */
public final class Lines {

    private final Map<String, Long> cursors = new HashMap<>();
    private final Map<String, TreeMap<Long, Message>> held = new HashMap<>();

    public Lines(Map<String, Long> cursors) {
        this.cursors.putAll(cursors);
    }

    public long cursor(String conversationId) {
        return cursors.getOrDefault(conversationId, 0L);
    }

    public Map<String, Long> all() {
        return Map.copyOf(cursors);
    }

    /** A live message: released with the held ones it makes contiguous, dropped if shown, held if early. */
    public List<Message> live(Message m) {
        long cursor = cursor(m.conversationId());
        if (m.serverSeq() <= cursor) {
            return List.of();
        }
        if (m.serverSeq() > cursor + 1) {
            held.computeIfAbsent(m.conversationId(), c -> new TreeMap<>()).put(m.serverSeq(), m);
            return List.of();
        }
        return advance(m);
    }

    /**
     * What the server answered a history or catch-up with: all it holds after the cursor, in seq order, so a seq it
     * skips does not exist and is not waited for.
     */
    public List<Message> stored(String conversationId, List<Message> messages) {
        List<Message> out = new ArrayList<>();
        messages.stream().sorted(Comparator.comparingLong(Message::serverSeq)).forEach(m -> {
            if (m.serverSeq() > cursor(conversationId)) {
                out.addAll(advance(m));
            }
        });
        return out;
    }

    /** After a complete answer with nothing more: what is still held follows with no gap the server knows of. */
    public List<Message> settle(String conversationId) {
        TreeMap<Long, Message> waiting = held.remove(conversationId);
        List<Message> out = new ArrayList<>();
        if (waiting != null) {
            for (Message m : waiting.values()) {
                if (m.serverSeq() > cursor(conversationId)) {
                    cursors.put(conversationId, m.serverSeq());
                    out.add(m);
                }
            }
        }
        return out;
    }

    public boolean gap(String conversationId) {
        TreeMap<Long, Message> waiting = held.get(conversationId);
        return waiting != null && !waiting.isEmpty();
    }

    public List<String> gaps() {
        return held.entrySet().stream().filter(e -> !e.getValue().isEmpty()).map(Map.Entry::getKey).toList();
    }

    private List<Message> advance(Message m) {
        String conversation = m.conversationId();
        List<Message> out = new ArrayList<>(List.of(m));
        cursors.put(conversation, m.serverSeq());
        TreeMap<Long, Message> waiting = held.get(conversation);
        if (waiting != null) {
            waiting.headMap(m.serverSeq(), true).clear();
            Message next = waiting.remove(m.serverSeq() + 1);
            while (next != null) {
                cursors.put(conversation, next.serverSeq());
                out.add(next);
                next = waiting.remove(next.serverSeq() + 1);
            }
        }
        return out;
    }
}
