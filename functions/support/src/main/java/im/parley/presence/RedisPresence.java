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

/** Presence as the connection tier writes it ({@link PresenceRecords}), read for many users in round trips of 1,000. */
public final class RedisPresence implements Presence {

    private final Redis redis;

    public RedisPresence(Redis redis) {
        this.redis = redis;
    }

    @Override
    public Map<DeviceRef, String> online(Collection<String> userIds) {
        List<String> users = new ArrayList<>(userIds);
        Map<DeviceRef, String> online = new LinkedHashMap<>();
        List<Response> hashes = RedisConnections.batch(redis,
                users.stream().map(u -> Request.cmd(Command.HGETALL).arg(PresenceRecords.key(u))).toList());
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
        return online;
    }
}
