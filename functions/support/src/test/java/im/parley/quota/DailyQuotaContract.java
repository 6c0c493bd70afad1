package im.parley.quota;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** What every {@link DailyQuota} answers: the in-memory one for unit tests and the Redis one alike. */
public abstract class DailyQuotaContract {

    protected abstract DailyQuota quota(int limit, Clock clock);

    /** A clock that the test moves. */
    static final class MovingClock extends Clock {
        final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-12-04T23:59:00Z"));

        @Override
        public Instant instant() {
            return now.get();
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }

    @Test
    void aUserGetsTheLimitEachDayAndARedeliveredEventIsNotCountedTwice() {
        MovingClock clock = new MovingClock();
        DailyQuota quota = quota(2, clock);
        String ann = "ann" + UUID.randomUUID().toString().substring(0, 6);
        String ben = "ben" + UUID.randomUUID().toString().substring(0, 6);
        assertThat(quota.take(ann, "e1")).isTrue();
        assertThat(quota.take(ann, "e1")).as("the same event again").isTrue();
        assertThat(quota.take(ann, "e2")).isTrue();
        assertThat(quota.take(ann, "e3")).as("a third event the same day").isFalse();
        assertThat(quota.take(ann, "e3")).as("not counted when refused").isFalse();
        assertThat(quota.take(ann, "e2")).as("counted ones stay allowed").isTrue();
        assertThat(quota.take(ben, "e3")).as("another user's day").isTrue();

        clock.now.set(clock.now.get().plus(Duration.ofMinutes(2)));
        assertThat(quota.take(ann, "e3")).as("the next UTC day").isTrue();
        assertThat(quota.limit()).isEqualTo(2);
    }
}
