package im.parley.eventing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class AttemptTest {

    @Test
    void writesAreRefusedOnceTheAttemptIsAbandonedOrItsBudgetSpent() throws Exception {
        Attempt attempt = Attempt.start(Duration.ofMinutes(1));
        assertThat(attempt.run(() -> {
            Attempt.ensureLive();
            return "written";
        })).isEqualTo("written");
        attempt.abandon("the sender closed the connection");
        assertThatThrownBy(() -> attempt.run(() -> "never started")).isInstanceOf(Attempt.Abandoned.class)
                .hasMessageContaining("closed the connection");

        Attempt short_ = Attempt.start(Duration.ofMillis(50));
        assertThatThrownBy(() -> short_.run(() -> {
            sleep(100);
            Attempt.ensureLive();
            return "late";
        })).isInstanceOf(Attempt.Abandoned.class).hasMessageContaining("budget of 50 ms");
    }

    @Test
    void outsideAnAttemptNothingIsChecked() {
        Attempt spent = Attempt.start(Duration.ZERO);
        assertThatThrownBy(() -> spent.run(() -> "x")).isInstanceOf(Attempt.Abandoned.class);
        Attempt.ensureLive(); // this thread runs no attempt any more
    }

    @Test
    void theBudgetLeavesTheLongestStoreRequestBeforeTheSenderGivesUp() {
        assertThat(Attempt.budgetWithin(Duration.ofSeconds(10))).isEqualTo(Duration.ofSeconds(6));
        assertThat(Attempt.budgetWithin(Duration.ofSeconds(4))).isEqualTo(Duration.ofSeconds(2));
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
