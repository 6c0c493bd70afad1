package im.parley.connection.presence;

import java.util.Collection;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Presence in memory, shared by the nodes made from one {@link Board}, for the handlers' unit tests;
 * {@link PresenceRegistryContract} holds it to what the Redis one does.
 */
public final class InMemoryPresenceRegistry implements PresenceRegistry {

    /** Where every node's devices are: "user device" to node. */
    public static final class Board {
        final Map<String, String> devices = new ConcurrentHashMap<>();
        final java.util.concurrent.atomic.AtomicInteger failing = new java.util.concurrent.atomic.AtomicInteger();

        /** The next n online writes fail, as when Redis is unreachable. */
        public void failOnline(int n) {
            failing.set(n);
        }

        public InMemoryPresenceRegistry node(String nodeId) {
            return new InMemoryPresenceRegistry(this, nodeId);
        }

        /** The user's devices and their nodes. */
        public Map<String, String> live(String userId) {
            Map<String, String> live = new ConcurrentHashMap<>();
            devices.forEach((key, node) -> {
                if (key.startsWith(userId + " ")) {
                    live.put(key.substring(userId.length() + 1), node);
                }
            });
            return live;
        }
    }

    private final Board board;
    private final String nodeId;

    private InMemoryPresenceRegistry(Board board, String nodeId) {
        this.board = board;
        this.nodeId = nodeId;
    }

    @Override
    public CompletionStage<Boolean> online(String userId, String deviceId, int maxDevices) {
        if (board.failing.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            return CompletableFuture.failedFuture(new IllegalStateException("presence store unreachable"));
        }
        synchronized (board) {
            Map<String, String> live = board.live(userId);
            live.remove(deviceId);
            if (live.size() >= maxDevices) {
                return CompletableFuture.completedFuture(false);
            }
            board.devices.put(userId + " " + deviceId, nodeId);
        }
        return CompletableFuture.completedFuture(true);
    }

    @Override
    public CompletionStage<Void> offline(String userId, String deviceId) {
        board.devices.remove(userId + " " + deviceId, nodeId);
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletionStage<Void> refresh(Collection<Map.Entry<String, String>> devices) {
        devices.forEach(d -> board.devices.put(d.getKey() + " " + d.getValue(), nodeId));
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public void close() {
    }
}
