package im.parley.presence.watch;

import im.parley.eventing.presence.PresenceState;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Presence state kept between events: device states, users waiting to settle, what was published, watch lists. */
public interface PresenceBoard {

    /** A device says it is active (online) or away. */
    void report(String userId, String deviceId, PresenceState state);

    /** A device's connection ended: its reported state no longer counts. */
    void forget(String userId, String deviceId);

    /** The user settles at {@code atMillis}, unless already waiting (so a burst settles once, about 1 s after it began). */
    void settleAt(String userId, long atMillis);

    /** Users due by now, each handed to exactly one caller. */
    List<String> claimDue(long nowMillis, int max);

    Aggregate current(String userId);

    Map<String, Published> published(Collection<String> userIds);

    void publish(String userId, Published published);

    /** Adds and removes users on a watcher's list; the list lives a day after its last change. */
    void watch(String watcher, Collection<String> add, Collection<String> remove);

    Set<String> watching(String watcher);

    Set<String> watchersOf(String userId);
}
