package im.parley.quota;

import im.parley.stack.RedisServer;
import im.parley.stack.junit.LocalStack;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import java.time.Clock;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The daily quota's contract against a real Redis. */
@LocalStack
class RedisDailyQuotaIT extends DailyQuotaContract {

    static Vertx vertx;
    static Redis redis;

    @BeforeAll
    static void start(RedisServer server) {
        vertx = Vertx.vertx();
        redis = Redis.createClient(vertx, server.uri());
    }

    @AfterAll
    static void stop() {
        vertx.close();
    }

    @Override
    protected DailyQuota quota(int limit, Clock clock) {
        return new RedisDailyQuota(redis, "test-" + UUID.randomUUID(), limit, clock);
    }
}
