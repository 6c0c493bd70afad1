package im.parley.eventing.presence;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where a user's devices are connected, as the connection tier writes it to Redis and fanout reads it:
 * hash {@code parley:presence:<user>}, field device, value {@code <node>|<expiresAtEpochMillis>}.
 * The node refreshes the expiry while the socket lives; readers skip expired fields, so a node that died
 * without cleaning up stops receiving deliveries once its entries lapse.
 */
public final class PresenceRecords {

    private PresenceRecords() {
    }

    public static String key(String userId) {
        return "parley:presence:" + userId;
    }

    /**
     * The user's aggregated state as the presence function last told watchers: hash with {@code state} (online,
     * away or offline) and {@code since} (epoch millis). Push reads it to tell one offline spell from the next.
     */
    public static final String PUBLISHED_STATE = "state";
    public static final String PUBLISHED_SINCE = "since";

    public static String publishedKey(String userId) {
        return "parley:presence:published:" + userId;
    }

    public static String value(String nodeId, long expiresAtMillis) {
        return nodeId + "|" + expiresAtMillis;
    }

    /** The live devices of a user (device to node) from the raw hash, dropping expired or malformed fields. */
    public static Map<String, String> liveDevices(Map<String, String> hash, long nowMillis) {
        Map<String, String> live = new LinkedHashMap<>();
        hash.forEach((device, value) -> {
            int bar = value.lastIndexOf('|');
            if (bar > 0) {
                try {
                    if (Long.parseLong(value.substring(bar + 1)) > nowMillis) {
                        live.put(device, value.substring(0, bar));
                    }
                } catch (NumberFormatException ignored) {
                    // not written by us; ignore
                }
            }
        });
        return live;
    }
}
