package im.parley.presence.watch;

import im.parley.eventing.presence.PresenceState;
import java.util.Collection;
import java.util.Map;
import java.util.Set;

/** Presence state kept between events: device states, what was published, watch lists. */
public interface PresenceBoard {

    /** A device says it is active (online) or away. */
    void report(String userId, String deviceId, PresenceState state);

    /** A device's connection ended: its reported state no longer counts. */
    void forget(String userId, String deviceId);

    Aggregate current(String userId);

    Map<String, Published> published(Collection<String> userIds);

    void publish(String userId, Published published);

    /** Adds and removes users on a watcher's list; the list lives a day after its last change. */
    void watch(String watcher, Collection<String> add, Collection<String> remove);

    Set<String> watching(String watcher);

    Set<String> watchersOf(String userId);
}
