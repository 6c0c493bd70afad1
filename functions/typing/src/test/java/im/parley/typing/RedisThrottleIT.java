package im.parley.typing;

import im.parley.stack.RedisServer;
import im.parley.stack.junit.LocalStack;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The throttle's contract against a real Redis. */
@LocalStack
class RedisThrottleIT extends ThrottleContract {

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
    Throttle throttle() {
        return new RedisThrottle(redis);
    }
}
