package im.parley.push;

import im.parley.eventing.presence.PresenceRecords;
import im.parley.redis.RedisConnections;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The ledger in Redis. A user's keys share a hash tag, so one script can touch them on Redis Cluster. Handled
 * messages are remembered for a week; collapse state lives as long as nothing new arrives for a week.
 */
public final class RedisPushLedger implements PushLedger {

    private static final long WEEK_SECONDS = 7 * 86_400;

    /** KEYS: seen, collapse. ARGV: spell, now, window, ttl. Returns {-1|1|0, count}. */
    static final String CLAIM = """
            if not redis.call('SET', KEYS[1], '1', 'NX', 'EX', ARGV[4]) then return {-1, 0} end
            if redis.call('HGET', KEYS[2], 'spell') ~= ARGV[1] then
              redis.call('DEL', KEYS[2])
              redis.call('HSET', KEYS[2], 'spell', ARGV[1])
            end
            local count = redis.call('HINCRBY', KEYS[2], 'count', 1)
            redis.call('EXPIRE', KEYS[2], ARGV[4])
            local last = tonumber(redis.call('HGET', KEYS[2], 'notifiedAt') or '0')
            if last == 0 or tonumber(ARGV[2]) - last >= tonumber(ARGV[3]) then
              redis.call('HSET', KEYS[2], 'notifiedAt', ARGV[2])
              return {1, count}
            end
            return {0, count}""";

    private final Redis redis;

    public RedisPushLedger(Redis redis) {
        this.redis = redis;
    }

    static String seenKey(String userId, String conversationId, long serverSeq) {
        return "parley:push:seen:{" + userId + "}:" + conversationId + ":" + serverSeq;
    }

    static String collapseKey(String userId, String conversationId) {
        return "parley:push:collapse:{" + userId + "}:" + conversationId;
    }

    static String rateKey(String userId, long minute) {
        return "parley:push:rate:{" + userId + "}:" + minute;
    }

    @Override
    public Map<String, Claim> claim(Collection<String> userIds, String conversationId, long serverSeq, Map<String, String> spells,
                                    long nowMillis, long collapseWindowMillis) {
        List<String> users = new ArrayList<>(userIds);
        List<Response> results = RedisConnections.batch(redis, users.stream().map(user -> Request.cmd(Command.EVAL)
                .arg(CLAIM).arg(2).arg(seenKey(user, conversationId, serverSeq)).arg(collapseKey(user, conversationId))
                .arg(spells.getOrDefault(user, "0")).arg(nowMillis).arg(collapseWindowMillis).arg(WEEK_SECONDS)).toList());
        Map<String, Claim> claims = new LinkedHashMap<>();
        for (int i = 0; i < users.size(); i++) {
            int verdict = results.get(i).get(0).toInteger();
            claims.put(users.get(i), new Claim(verdict < 0 ? Claim.Kind.DUPLICATE
                    : verdict == 1 ? Claim.Kind.NOTIFY : Claim.Kind.COLLAPSED, results.get(i).get(1).toInteger()));
        }
        return claims;
    }

    @Override
    public void release(String userId, String conversationId) {
        RedisConnections.await(redis.send(Request.cmd(Command.HDEL).arg(collapseKey(userId, conversationId)).arg("notifiedAt")));
    }

    @Override
    public boolean allow(String userId, int perMinute, long nowMillis) {
        String key = rateKey(userId, nowMillis / 60_000);
        List<Response> replies = RedisConnections.await(redis.batch(List.of(Request.cmd(Command.INCR).arg(key),
                Request.cmd(Command.EXPIRE).arg(key).arg(120))));
        return replies.get(0).toLong() <= perMinute;
    }

    @Override
    public Map<String, String> spells(Collection<String> userIds) {
        List<String> users = new ArrayList<>(userIds);
        List<Response> since = RedisConnections.batch(redis, users.stream()
                .map(u -> Request.cmd(Command.HGET).arg(PresenceRecords.publishedKey(u)).arg(PresenceRecords.PUBLISHED_SINCE)).toList());
        Map<String, String> spells = new LinkedHashMap<>();
        for (int i = 0; i < users.size(); i++) {
            spells.put(users.get(i), since.get(i) == null ? "0" : since.get(i).toString());
        }
        return spells;
    }
}
