package im.parley.due;

import im.parley.redis.RedisConnections;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.List;

/**
 * Work to do later, shared by a function's replicas: a Redis sorted set of members scored by when they are due.
 * Scheduling keeps an earlier time ({@code ZADD NX}), so a burst is handled once, a window after it began;
 * {@code ZREM} hands each due member to exactly one claimer.
 */
public final class DueSet {

    private final Redis redis;
    private final String key;

    public DueSet(Redis redis, String key) {
        this.redis = redis;
        this.key = key;
    }

    public void schedule(String member, long atMillis) {
        RedisConnections.await(redis.send(Request.cmd(Command.ZADD).arg(key).arg("NX").arg(atMillis).arg(member)));
    }

    /** Members due by now, each handed to one caller only. */
    public List<String> claim(long nowMillis, int max) {
        Response due = RedisConnections.await(redis.send(Request.cmd(Command.ZRANGEBYSCORE).arg(key).arg("-inf").arg(nowMillis)
                .arg("LIMIT").arg(0).arg(max)));
        List<String> members = new ArrayList<>();
        for (Response member : due) {
            members.add(member.toString());
        }
        if (members.isEmpty()) {
            return members;
        }
        List<Response> removed = RedisConnections.await(redis.batch(members.stream()
                .map(m -> Request.cmd(Command.ZREM).arg(key).arg(m)).toList()));
        List<String> mine = new ArrayList<>();
        for (int i = 0; i < members.size(); i++) {
            if (removed.get(i).toInteger() == 1) {
                mine.add(members.get(i));
            }
        }
        return mine;
    }
}
