package im.parley.connection.presence;

import static org.assertj.core.api.Assertions.assertThat;

import im.parley.eventing.presence.PresenceRecords;
import im.parley.stack.RedisServer;
import im.parley.stack.junit.LocalStack;
import io.vertx.core.Vertx;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The tier's presence registry against a real Redis server. */
@LocalStack
class RedisPresenceRegistryIT extends PresenceRegistryContract {

    static Vertx vertx;
    static Redis client;
    static RedisPresenceRegistry nodeA;
    static RedisPresenceRegistry nodeB;

    @BeforeAll
    static void start(RedisServer redis) {
        vertx = Vertx.vertx();
        client = Redis.createClient(vertx, redis.uri());
        nodeA = new RedisPresenceRegistry(Redis.createClient(vertx, redis.uri()), "node-a", Duration.ofSeconds(90));
        nodeB = new RedisPresenceRegistry(Redis.createClient(vertx, redis.uri()), "node-b", Duration.ofSeconds(90));
    }

    @AfterAll
    static void stop() {
        nodeA.close();
        nodeB.close();
        vertx.close();
    }

    @Override
    PresenceRegistry nodeA() {
        return nodeA;
    }

    @Override
    PresenceRegistry nodeB() {
        return nodeB;
    }

    /**
     * The old socket's offline goes out on a connection that is slow to send it (busy, or reconnecting), the new
     * socket's online on another: the node must not let the online overtake it.
     */
    @Test
    void anOfflineHeldUpOnItsConnectionIsNotOvertakenByTheReconnectsOnline(RedisServer redis) throws Exception {
        Redis real = Redis.createClient(vertx, redis.uri());
        AtomicInteger scripts = new AtomicInteger();
        Redis lagging = new Redis() {
            @Override
            public Future<RedisConnection> connect() {
                return real.connect();
            }

            @Override
            public void close() {
                real.close();
            }

            @Override
            public Future<Response> send(Request request) {
                // The second script (the offline write) waits 100 ms before it leaves.
                if (request.command() != Command.EVAL || scripts.incrementAndGet() != 2) {
                    return real.send(request);
                }
                Promise<Response> later = Promise.promise();
                vertx.setTimer(100, t -> real.send(request).onComplete(later));
                return later.future();
            }

            @Override
            public Future<List<Response>> batch(List<Request> requests) {
                return real.batch(requests);
            }
        };
        RedisPresenceRegistry node = new RedisPresenceRegistry(lagging, "node-a", Duration.ofSeconds(90));
        await(node.online("pr-fast", "phone", 10));
        CompletionStage<Void> offline = node.offline("pr-fast", "phone");
        await(node.online("pr-fast", "phone", 10));
        await(offline);
        assertThat(live("pr-fast")).containsEntry("phone", "node-a");
        real.close();
    }

    @Test
    void anEntryLivesForItsTtl() throws Exception {
        await(nodeA.online("pr-ttl", "phone", 10));
        assertThat(send(Request.cmd(Command.PTTL).arg(PresenceRecords.key("pr-ttl"))).toLong()).isBetween(80_000L, 90_000L);
    }

    @Test
    void refreshExtendsEveryDeviceOfANodeBeyondOneRoundTrip() throws Exception {
        // More devices than the client queues commands for in one batch (2 commands each).
        List<Map.Entry<String, String>> devices = IntStream.range(0, 5_000)
                .mapToObj(i -> Map.entry("pr-many-" + i, "d")).toList();
        await(nodeA.refresh(devices));
        long now = System.currentTimeMillis();
        for (int i = 0; i < devices.size(); i += 997) {
            assertThat(PresenceRecords.liveDevices(hash("pr-many-" + i), now)).containsEntry("d", "node-a");
        }
        assertThat(live("pr-many-4999")).containsEntry("d", "node-a");
        assertThat(send(Request.cmd(Command.PTTL).arg(PresenceRecords.key("pr-many-4999"))).toLong()).isPositive();
    }

    @Override
    Map<String, String> live(String user) throws Exception {
        return PresenceRecords.liveDevices(hash(user), System.currentTimeMillis());
    }

    private static Map<String, String> hash(String user) throws Exception {
        Response response = send(Request.cmd(Command.HGETALL).arg(PresenceRecords.key(user)));
        Map<String, String> hash = new HashMap<>();
        for (String field : response.getKeys()) {
            hash.put(field, response.get(field).toString());
        }
        return hash;
    }

    private static Response send(Request request) throws Exception {
        return client.send(request).toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

}
