package im.parley.connection.session;

import io.netty.channel.Channel;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/** The sockets this node holds, by user and device. */
public final class SessionRegistry {

    private final Map<String, Map<String, Channel>> byUser = new ConcurrentHashMap<>();

    /** Registers a device's socket; returns the socket it replaces, if the device was already connected here. */
    public Channel register(String userId, String deviceId, Channel channel) {
        return byUser.computeIfAbsent(userId, u -> new ConcurrentHashMap<>(2)).put(deviceId, channel);
    }

    /** Removes the device only if it is still this socket (a newer one may have replaced it). */
    public boolean unregister(String userId, String deviceId, Channel channel) {
        boolean[] removed = {false};
        byUser.computeIfPresent(userId, (u, devices) -> {
            removed[0] = devices.remove(deviceId, channel);
            return devices.isEmpty() ? null : devices;
        });
        return removed[0];
    }

    public Channel find(String userId, String deviceId) {
        Map<String, Channel> devices = byUser.get(userId);
        return devices == null ? null : devices.get(deviceId);
    }

    public Collection<Channel> all() {
        return byUser.values().stream().flatMap(d -> d.values().stream()).toList();
    }

    public Stream<Map.Entry<String, String>> devices() {
        return byUser.entrySet().stream().flatMap(u -> u.getValue().keySet().stream().map(d -> Map.entry(u.getKey(), d)));
    }

    public int size() {
        return byUser.values().stream().mapToInt(Map::size).sum();
    }

    public List<String> devicesOf(String userId) {
        Map<String, Channel> devices = byUser.get(userId);
        return devices == null ? List.of() : List.copyOf(devices.keySet());
    }
}
