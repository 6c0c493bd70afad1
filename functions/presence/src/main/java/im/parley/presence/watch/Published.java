package im.parley.presence.watch;

import im.parley.eventing.presence.PresenceState;

/** What watchers were last told about a user, and since when (epoch millis). */
public record Published(PresenceState state, long since) {
}
