package im.parley.push;

import static org.assertj.core.api.Assertions.assertThat;

import im.parley.eventing.push.PushSettingsUpdated.QuietHours;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class QuietHoursRuleTest {

    @Test
    void overnightHoursSpanMidnightInTheUsersZone() {
        QuietHours night = new QuietHours("22:00", "07:00", "Europe/Paris");
        assertThat(QuietHoursRule.quiet(night, Instant.parse("2026-11-24T21:30:00Z"))).as("22:30 in Paris").isTrue();
        assertThat(QuietHoursRule.quiet(night, Instant.parse("2026-11-24T05:59:00Z"))).as("06:59 in Paris").isTrue();
        assertThat(QuietHoursRule.quiet(night, Instant.parse("2026-11-24T06:00:00Z"))).as("07:00 in Paris").isFalse();
        assertThat(QuietHoursRule.quiet(night, Instant.parse("2026-11-24T12:00:00Z"))).isFalse();
    }

    @Test
    void daytimeHoursAndEmptyHours() {
        QuietHours lunch = new QuietHours("12:00", "13:00", "UTC");
        assertThat(QuietHoursRule.quiet(lunch, Instant.parse("2026-11-24T12:30:00Z"))).isTrue();
        assertThat(QuietHoursRule.quiet(lunch, Instant.parse("2026-11-24T13:00:00Z"))).isFalse();
        assertThat(QuietHoursRule.quiet(new QuietHours("09:00", "09:00", "UTC"), Instant.parse("2026-11-24T09:00:00Z"))).isFalse();
    }

    @Test
    void anUnknownZoneIsAProblem() {
        assertThat(QuietHoursRule.problem(new QuietHours("22:00", "07:00", "Mars/Olympus"))).isNotNull();
        assertThat(QuietHoursRule.problem(new QuietHours("22:00", "07:00", "Asia/Tokyo"))).isNull();
    }
}
