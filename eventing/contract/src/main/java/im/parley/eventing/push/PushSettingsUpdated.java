package im.parley.eventing.push;

/** A user's quiet hours; none (null) clears them. */
public record PushSettingsUpdated(QuietHours quietHours) {

    /** Local times {@code HH:mm} in an IANA time zone; start after end means overnight. */
    public record QuietHours(String start, String end, String timeZone) {
    }
}
