package im.parley.push;

import static org.assertj.core.api.Assertions.assertThat;

import im.parley.eventing.push.PushProvider;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class RetryingTest {

    static final Notification N = new Notification("u", "d", PushProvider.FCM, "t", null, "d:a:u", 1, "a", "hi", 1);

    /** Answers from a list and notes when each attempt came. */
    static final class Scripted implements Gateway {
        final Deque<Attempt> answers;
        final List<Long> at = new ArrayList<>();

        Scripted(Attempt... answers) {
            this.answers = new ArrayDeque<>(List.of(answers));
        }

        @Override
        public CompletableFuture<Attempt> send(Notification notification) {
            at.add(System.nanoTime());
            return CompletableFuture.completedFuture(answers.isEmpty() ? new Attempt(Attempt.Verdict.DELIVERED, 200, null, null)
                    : answers.poll());
        }
    }

    static Attempt retry(int status, Duration retryAfter) {
        return new Attempt(Attempt.Verdict.RETRY, status, retryAfter, null);
    }

    @Test
    void backoffGrowsWithJitterUpToTheCapAndRespectsRetryAfter() {
        Retrying retrying = new Retrying(10, Duration.ofMillis(100), Duration.ofMillis(1_000), Clock.systemUTC());
        for (int i = 0; i < 50; i++) {
            assertThat(retrying.delay(1, null).toMillis()).isBetween(50L, 100L);
            assertThat(retrying.delay(3, null).toMillis()).isBetween(200L, 400L);
            assertThat(retrying.delay(9, null).toMillis()).isBetween(500L, 1_000L);
            assertThat(retrying.delay(1, Duration.ofSeconds(2)).toMillis()).isEqualTo(2_000L);
        }
    }

    @Test
    void retriesUntilDeliveredHonouringRetryAfter() {
        Scripted gateway = new Scripted(retry(429, Duration.ofMillis(0)), retry(503, null));
        Retrying retrying = new Retrying(5, Duration.ofMillis(100), Duration.ofSeconds(1), Clock.systemUTC());
        Retrying.Outcome outcome = retrying.send(gateway, N, Instant.now().plusSeconds(5)).join();
        assertThat(outcome.last().verdict()).isEqualTo(Attempt.Verdict.DELIVERED);
        assertThat(outcome.attempts()).isEqualTo(3);
        assertThat(gateway.at.get(2) - gateway.at.get(1)).as("the second wait is the longer step").isGreaterThanOrEqualTo(100_000_000L);
    }

    @Test
    void givesUpAtTheAttemptLimitOrWhenTheNextTryWouldPassTheDeadline() {
        Retrying three = new Retrying(3, Duration.ofMillis(10), Duration.ofSeconds(1), Clock.systemUTC());
        Retrying.Outcome outcome = three.send(new Scripted(retry(500, null), retry(500, null), retry(500, null), retry(500, null)),
                N, Instant.now().plusSeconds(5)).join();
        assertThat(outcome.attempts()).isEqualTo(3);
        assertThat(outcome.gaveUp()).isTrue();

        Retrying patient = new Retrying(10, Duration.ofMillis(10), Duration.ofSeconds(1), Clock.systemUTC());
        Retrying.Outcome late = patient.send(new Scripted(retry(429, Duration.ofSeconds(30))), N, Instant.now().plusSeconds(2)).join();
        assertThat(late.attempts()).as("a Retry-After past the deadline ends it").isEqualTo(1);
        assertThat(late.last().status()).isEqualTo(429);
    }

    @Test
    void aDeadTokenOrARefusalIsNotRetried() {
        Retrying retrying = new Retrying(5, Duration.ofMillis(10), Duration.ofSeconds(1), Clock.systemUTC());
        assertThat(retrying.send(new Scripted(new Attempt(Attempt.Verdict.TOKEN_INVALID, 410, null, "Unregistered")), N,
                Instant.now().plusSeconds(5)).join().attempts()).isEqualTo(1);
        assertThat(retrying.send(new Scripted(new Attempt(Attempt.Verdict.REJECTED, 400, null, "PayloadTooLarge")), N,
                Instant.now().plusSeconds(5)).join().attempts()).isEqualTo(1);
    }
}
