package im.parley.push;

import im.parley.eventing.push.PushSettingsUpdated.QuietHours;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;

/** Whether an instant falls in a user's quiet hours, in their time zone; start after end spans midnight. */
public final class QuietHoursRule {

    private QuietHoursRule() {
    }

    public static boolean quiet(QuietHours hours, Instant at) {
        LocalTime start = LocalTime.parse(hours.start());
        LocalTime end = LocalTime.parse(hours.end());
        LocalTime now = at.atZone(ZoneId.of(hours.timeZone())).toLocalTime();
        if (start.equals(end)) {
            return false;
        }
        return start.isBefore(end) ? !now.isBefore(start) && now.isBefore(end) : !now.isBefore(start) || now.isBefore(end);
    }

    /** Null when the hours can be used, else what is wrong with them. */
    public static String problem(QuietHours hours) {
        try {
            LocalTime.parse(hours.start());
            LocalTime.parse(hours.end());
            ZoneId.of(hours.timeZone());
            return null;
        } catch (DateTimeException e) {
            return e.getMessage();
        }
    }
}
