package im.parley.quota;

import im.parley.eventing.Attempt;
import im.parley.redis.RedisConnections;
import im.parley.redis.RedisScript;
import io.vertx.redis.client.Redis;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;

/** A day's events per user as a Redis set, {@code parley:quota:{user}:<what>:<day>}, kept two days. */
public final class RedisDailyQuota implements DailyQuota {

    /** KEYS: the day's set. ARGV: event id, limit, ttl. Returns 1 when counted (now or before), 0 when over. */
    static final RedisScript TAKE = new RedisScript("""
            if redis.call('SISMEMBER', KEYS[1], ARGV[1]) == 1 then return 1 end
            if redis.call('SCARD', KEYS[1]) >= tonumber(ARGV[2]) then return 0 end
            redis.call('SADD', KEYS[1], ARGV[1])
            redis.call('EXPIRE', KEYS[1], ARGV[3])
            return 1""");

    private static final int TWO_DAYS_SECONDS = 2 * 86_400;

    private final Redis redis;
    private final String what;
    private final int limit;
    private final Clock clock;

    /** @param what names the quota in its keys, such as {@code group-create} */
    public RedisDailyQuota(Redis redis, String what, int limit, Clock clock) {
        this.redis = redis;
        this.what = what;
        this.limit = limit;
        this.clock = clock;
    }

    @Override
    public boolean take(String userId, String eventId) {
        Attempt.ensureLive();
        String key = "parley:quota:{" + userId + "}:" + what + ":" + LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        return RedisConnections.await(TAKE.call(redis, List.of(key), List.of(eventId, limit, TWO_DAYS_SECONDS)))
                .toInteger() == 1;
    }

    @Override
    public int limit() {
        return limit;
    }
}
