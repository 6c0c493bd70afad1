package im.parley.connection.session;

import io.netty.channel.Channel;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * The sockets this node holds, by user and device. One flat map keyed by "user device": a map per user
 * would cost a few hundred bytes more per connection.
 */
public final class SessionRegistry {

    private static final char SEPARATOR = ' ';

    private final Map<String, Channel> byDevice = new ConcurrentHashMap<>();

    /** Registers a device's socket; returns the socket it replaces, if the device was already connected here. */
    public Channel register(String userId, String deviceId, Channel channel) {
        return byDevice.put(key(userId, deviceId), channel);
    }

    /** Removes the device only if it is still this socket (a newer one may have replaced it). */
    public boolean unregister(String userId, String deviceId, Channel channel) {
        return byDevice.remove(key(userId, deviceId), channel);
    }

    public Channel find(String userId, String deviceId) {
        return byDevice.get(key(userId, deviceId));
    }

    public Collection<Channel> all() {
        return List.copyOf(byDevice.values());
    }

    /** Every (user, device) held here. */
    public Stream<Map.Entry<String, String>> devices() {
        return byDevice.keySet().stream().map(k -> {
            int at = k.indexOf(SEPARATOR);
            return Map.entry(k.substring(0, at), k.substring(at + 1));
        });
    }

    public int size() {
        return byDevice.size();
    }

    // Ids never contain a space (see the id pattern in the schemas), so the key is unambiguous.
    private static String key(String userId, String deviceId) {
        return userId + SEPARATOR + deviceId;
    }
}
