package im.parley.eventing.presence;

import java.time.Instant;

/** A user's presence aggregated over their devices. */
public record PresenceChanged(String userId, PresenceState state, int devices, Instant since) {
}
