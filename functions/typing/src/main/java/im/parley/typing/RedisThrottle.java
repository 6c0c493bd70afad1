package im.parley.typing;

import im.parley.eventing.Attempt;
import im.parley.redis.RedisConnections;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.time.Duration;

/** One key per kind, {@code SET NX PX}: the first in an interval sets it, and it lapses by itself. */
public final class RedisThrottle implements Throttle {

    private final Redis redis;

    public RedisThrottle(Redis redis) {
        this.redis = redis;
    }

    @Override
    public boolean admit(String key, Duration interval) {
        Attempt.ensureLive();
        Response set = RedisConnections.await(redis.send(Request.cmd(Command.SET).arg(key).arg("1").arg("NX").arg("PX")
                .arg(Math.max(1, interval.toMillis()))));
        return set != null;
    }
}
