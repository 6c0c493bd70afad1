package im.parley.stack.push;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** Replies scripted per device token (200 once a token's script runs out), and every delivery received. */
final class Script {

    private final Map<String, Deque<Reply>> replies = new ConcurrentHashMap<>();
    private final List<Delivery> deliveries = new CopyOnWriteArrayList<>();

    void script(String token, Reply... next) {
        Deque<Reply> queue = replies.computeIfAbsent(token, t -> new ArrayDeque<>());
        synchronized (queue) {
            queue.addAll(List.of(next));
        }
    }

    Reply next(String token) {
        Deque<Reply> queue = replies.get(token);
        if (queue == null) {
            return Reply.of(200);
        }
        synchronized (queue) {
            Reply reply = queue.poll();
            return reply == null ? Reply.of(200) : reply;
        }
    }

    void record(Delivery delivery) {
        deliveries.add(delivery);
    }

    List<Delivery> deliveries() {
        return List.copyOf(deliveries);
    }
}
