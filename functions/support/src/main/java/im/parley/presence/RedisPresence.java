package im.parley.presence;

import im.parley.eventing.message.DeviceRef;
import im.parley.eventing.presence.PresenceRecords;
import im.parley.redis.RedisConnections;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Presence as the connection tier writes it ({@link PresenceRecords}), read for many users in one round trip. */
public final class RedisPresence implements Presence {

    private final Redis redis;

    public RedisPresence(Redis redis) {
        this.redis = redis;
    }

    /** Users read per round trip: a 10,000-member group is read in a few batches, within the client's queue. */
    static final int BATCH = 1_000;

    @Override
    public Map<DeviceRef, String> online(Collection<String> userIds) {
        List<String> users = new ArrayList<>(userIds);
        Map<DeviceRef, String> online = new LinkedHashMap<>();
        for (int from = 0; from < users.size(); from += BATCH) {
            read(users.subList(from, Math.min(users.size(), from + BATCH)), online);
        }
        return online;
    }

    private void read(List<String> users, Map<DeviceRef, String> online) {
        List<Request> reads = users.stream().map(u -> Request.cmd(Command.HGETALL).arg(PresenceRecords.key(u))).toList();
        List<Response> hashes = RedisConnections.await(redis.batch(reads));
        long now = System.currentTimeMillis();
        for (int i = 0; i < users.size(); i++) {
            Response hash = hashes.get(i);
            if (hash == null) {
                continue;
            }
            Map<String, String> raw = new HashMap<>();
            for (String field : hash.getKeys()) {
                raw.put(field, hash.get(field).toString());
            }
            String user = users.get(i);
            PresenceRecords.liveDevices(raw, now).forEach((device, node) -> online.put(new DeviceRef(user, device), node));
        }
    }
}
