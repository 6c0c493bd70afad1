package im.parley.sequence;

import im.parley.rights.RedisPostingRightsCache;
import im.parley.stack.RedisServer;
import im.parley.stack.junit.LocalStack;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The seq cache's contract against a real Redis, with the real invalidation of posting rights. */
@LocalStack
class RedisSeqCacheIT extends SeqCacheContract {

    static Vertx vertx;
    static Redis redis;
    static RedisSeqCache cache;

    @BeforeAll
    static void start(RedisServer server) {
        vertx = Vertx.vertx();
        redis = Redis.createClient(vertx, server.uri());
        cache = new RedisSeqCache(redis, Duration.ofMinutes(10));
    }

    @AfterAll
    static void stop() {
        vertx.close();
    }

    @Override
    SeqCache cache() {
        return cache;
    }

    @Override
    void flush() throws Exception {
        redis.send(Request.cmd(Command.FLUSHALL)).toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    @Override
    void forgetRights(String conversationId) {
        new RedisPostingRightsCache(redis).forget(conversationId);
    }
}
