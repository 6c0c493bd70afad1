package im.parley.eventing.presence;

/** A device's own state; only online and away can be reported, offline follows from disconnects. */
public record PresenceReported(PresenceState state) {
}
