package im.parley.presence.watch;

import im.parley.eventing.presence.PresenceState;
import java.util.Set;

/** A user's state over their devices: online if any live device is active, away if all are away, else offline. */
public record Aggregate(PresenceState state, int devices) {

    public static Aggregate of(Set<String> liveDevices, Set<String> awayDevices) {
        if (liveDevices.isEmpty()) {
            return new Aggregate(PresenceState.OFFLINE, 0);
        }
        boolean anyActive = liveDevices.stream().anyMatch(d -> !awayDevices.contains(d));
        return new Aggregate(anyActive ? PresenceState.ONLINE : PresenceState.AWAY, liveDevices.size());
    }
}
