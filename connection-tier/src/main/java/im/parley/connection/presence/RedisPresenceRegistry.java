package im.parley.connection.presence;

import im.parley.eventing.presence.PresenceRecords;
import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/** Presence in Redis (see {@link PresenceRecords}): one hash per user, a field per device. */
public final class RedisPresenceRegistry implements PresenceRegistry {

    /** Deletes the field only if it still points at this node. */
    private static final String OFFLINE_SCRIPT = """
            local v = redis.call('HGET', KEYS[1], ARGV[1])
            if v and string.sub(v, 1, string.len(ARGV[2]) + 1) == ARGV[2] .. '|' then
              return redis.call('HDEL', KEYS[1], ARGV[1])
            end
            return 0""";

    /**
     * Counts the user's other live devices and records this one if they are fewer than the cap. ARGV: device,
     * record, time to live (ms), now (ms), cap.
     */
    private static final String ONLINE_SCRIPT = """
            local fields = redis.call('HGETALL', KEYS[1])
            local others = 0
            for i = 1, #fields, 2 do
              local expires = tonumber(string.match(fields[i + 1], '|(%d+)$'))
              if fields[i] ~= ARGV[1] and expires and expires > tonumber(ARGV[4]) then others = others + 1 end
            end
            if others >= tonumber(ARGV[5]) then return 0 end
            redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
            redis.call('PEXPIRE', KEYS[1], ARGV[3])
            return 1""";

    static final int ROUND = 1_000;

    private final Redis redis;
    private final String nodeId;
    private final Duration ttl;
    private final Map<String, CompletableFuture<?>> pending = new ConcurrentHashMap<>();

    public RedisPresenceRegistry(Redis redis, String nodeId, Duration ttl) {
        this.redis = redis;
        this.nodeId = nodeId;
        this.ttl = ttl;
    }

    @Override
    public CompletionStage<Boolean> online(String userId, String deviceId, int maxDevices) {
        long now = System.currentTimeMillis();
        return inOrder(userId, deviceId, () -> redis.send(Request.cmd(Command.EVAL).arg(ONLINE_SCRIPT).arg(1)
                .arg(PresenceRecords.key(userId)).arg(deviceId).arg(PresenceRecords.value(nodeId, now + ttl.toMillis()))
                .arg(ttl.toMillis()).arg(now).arg(maxDevices)))
                .thenApply(recorded -> recorded.toInteger() == 1);
    }

    @Override
    public CompletionStage<Void> offline(String userId, String deviceId) {
        return inOrder(userId, deviceId, () -> redis.send(Request.cmd(Command.EVAL).arg(OFFLINE_SCRIPT).arg(1)
                .arg(PresenceRecords.key(userId)).arg(deviceId).arg(nodeId))).thenApply(ignored -> null);
    }

    /**
     * One device's writes reach Redis in the order this node made them. The client spreads commands over pooled
     * connections, so on a fast reconnect to the same node the old socket's offline could land after the new
     * socket's online and delete it (the entry names this node either way).
     */
    private CompletionStage<Response> inOrder(String userId, String deviceId, Supplier<Future<Response>> write) {
        String device = userId + "/" + deviceId;
        CompletableFuture<Response> done = new CompletableFuture<>();
        CompletableFuture<?> before = pending.put(device, done);
        Runnable start = () -> write.get().onComplete(result -> {
            pending.remove(device, done);
            if (result.succeeded()) {
                done.complete(result.result());
            } else {
                done.completeExceptionally(result.cause());
            }
        });
        if (before == null) {
            start.run();
        } else {
            before.whenComplete((ignored, failure) -> start.run());
        }
        return done;
    }

    @Override
    public CompletionStage<Void> refresh(Collection<Map.Entry<String, String>> devices) {
        long expiresAt = System.currentTimeMillis() + ttl.toMillis();
        List<Request> requests = new ArrayList<>(devices.size() * 2);
        devices.forEach(d -> requests.addAll(write(d.getKey(), d.getValue(), expiresAt)));
        return inRounds(requests, 0).toCompletionStage();
    }

    /**
     * One round trip of {@value #ROUND} commands after another: the client queues at most 2,048, so a node with
     * thousands of sockets cannot send its refresh as one batch, and sequential rounds keep Redis responsive.
     */
    private Future<Void> inRounds(List<Request> requests, int from) {
        if (from >= requests.size()) {
            return Future.succeededFuture();
        }
        int to = Math.min(requests.size(), from + ROUND);
        return redis.batch(requests.subList(from, to)).compose(done -> inRounds(requests, to));
    }

    private List<Request> write(String userId, String deviceId, long expiresAt) {
        String key = PresenceRecords.key(userId);
        return List.of(
                Request.cmd(Command.HSET).arg(key).arg(deviceId).arg(PresenceRecords.value(nodeId, expiresAt)),
                Request.cmd(Command.PEXPIRE).arg(key).arg(ttl.toMillis()));
    }

    @Override
    public void close() {
        redis.close();
    }
}
