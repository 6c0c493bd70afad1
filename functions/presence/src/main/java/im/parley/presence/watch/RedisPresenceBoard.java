package im.parley.presence.watch;

import im.parley.eventing.presence.PresenceRecords;
import im.parley.eventing.presence.PresenceState;
import im.parley.redis.RedisConnections;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The board in Redis. Device states: {@code parley:presence:away:<user>} (a set of away devices). Published
 * states: {@link PresenceRecords#publishedKey}. Watch lists: {@code parley:presence:watching:<watcher>} and the
 * reverse {@code parley:presence:watchers:<user>}.
 */
public final class RedisPresenceBoard implements PresenceBoard {

    private static final long DAY_SECONDS = 86_400;

    private final Redis redis;

    public RedisPresenceBoard(Redis redis) {
        this.redis = redis;
    }

    static String awayKey(String userId) {
        return "parley:presence:away:" + userId;
    }

    static String watchingKey(String watcher) {
        return "parley:presence:watching:" + watcher;
    }

    static String watchersKey(String userId) {
        return "parley:presence:watchers:" + userId;
    }

    @Override
    public void report(String userId, String deviceId, PresenceState state) {
        if (state == PresenceState.AWAY) {
            batch(List.of(Request.cmd(Command.SADD).arg(awayKey(userId)).arg(deviceId),
                    Request.cmd(Command.EXPIRE).arg(awayKey(userId)).arg(DAY_SECONDS)));
        } else {
            forget(userId, deviceId);
        }
    }

    @Override
    public void forget(String userId, String deviceId) {
        send(Request.cmd(Command.SREM).arg(awayKey(userId)).arg(deviceId));
    }

    @Override
    public Aggregate current(String userId) {
        List<Response> both = batch(List.of(Request.cmd(Command.HGETALL).arg(PresenceRecords.key(userId)),
                Request.cmd(Command.SMEMBERS).arg(awayKey(userId))));
        Map<String, String> raw = new HashMap<>();
        for (String device : both.get(0).getKeys()) {
            raw.put(device, both.get(0).get(device).toString());
        }
        return Aggregate.of(PresenceRecords.liveDevices(raw, System.currentTimeMillis()).keySet(), strings(both.get(1)));
    }

    @Override
    public Map<String, Published> published(Collection<String> userIds) {
        List<String> users = new ArrayList<>(userIds);
        List<Response> hashes = batch(users.stream().map(u -> Request.cmd(Command.HMGET).arg(PresenceRecords.publishedKey(u))
                .arg(PresenceRecords.PUBLISHED_STATE).arg(PresenceRecords.PUBLISHED_SINCE)).toList());
        Map<String, Published> found = new LinkedHashMap<>();
        for (int i = 0; i < users.size(); i++) {
            Response state = hashes.get(i).get(0);
            Response since = hashes.get(i).get(1);
            if (state != null && since != null) {
                found.put(users.get(i), new Published(PresenceState.valueOf(state.toString().toUpperCase(Locale.ROOT)),
                        since.toLong()));
            }
        }
        return found;
    }

    @Override
    public void publish(String userId, Published published) {
        send(Request.cmd(Command.HSET).arg(PresenceRecords.publishedKey(userId))
                .arg(PresenceRecords.PUBLISHED_STATE).arg(published.state().name().toLowerCase(Locale.ROOT))
                .arg(PresenceRecords.PUBLISHED_SINCE).arg(published.since()));
    }

    @Override
    public void watch(String watcher, Collection<String> add, Collection<String> remove) {
        List<Request> requests = new ArrayList<>();
        for (String user : add) {
            requests.add(Request.cmd(Command.SADD).arg(watchingKey(watcher)).arg(user));
            requests.add(Request.cmd(Command.SADD).arg(watchersKey(user)).arg(watcher));
            requests.add(Request.cmd(Command.EXPIRE).arg(watchersKey(user)).arg(DAY_SECONDS));
        }
        for (String user : remove) {
            requests.add(Request.cmd(Command.SREM).arg(watchingKey(watcher)).arg(user));
            requests.add(Request.cmd(Command.SREM).arg(watchersKey(user)).arg(watcher));
        }
        requests.add(Request.cmd(Command.EXPIRE).arg(watchingKey(watcher)).arg(DAY_SECONDS));
        batch(requests);
    }

    @Override
    public Set<String> watching(String watcher) {
        return strings(send(Request.cmd(Command.SMEMBERS).arg(watchingKey(watcher))));
    }

    @Override
    public Set<String> watchersOf(String userId) {
        return strings(send(Request.cmd(Command.SMEMBERS).arg(watchersKey(userId))));
    }

    private static Set<String> strings(Response members) {
        Set<String> found = new HashSet<>();
        if (members != null) {
            for (Response member : members) {
                found.add(member.toString());
            }
        }
        return found;
    }

    private Response send(Request request) {
        return RedisConnections.await(redis.send(request));
    }

    private List<Response> batch(List<Request> requests) {
        return RedisConnections.batch(redis, requests);
    }
}
