package im.parley.push;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Sends through a gateway, retrying what is worth retrying with exponential backoff and jitter (half the step fixed,
 * half random, so retries from many devices spread out), never sooner than a Retry-After, never past the deadline.
 */
public final class Retrying {

    /** The last attempt and how many were made. */
    public record Outcome(Attempt last, int attempts) {

        /** Still worth retrying when the attempts or the time ran out. */
        public boolean gaveUp() {
            return last.verdict() == Attempt.Verdict.RETRY;
        }
    }

    private final int maxAttempts;
    private final Duration base;
    private final Duration cap;
    private final Clock clock;

    public Retrying(int maxAttempts, Duration base, Duration cap, Clock clock) {
        this.maxAttempts = maxAttempts;
        this.base = base;
        this.cap = cap;
        this.clock = clock;
    }

    public CompletableFuture<Outcome> send(Gateway gateway, Notification notification, Instant deadline) {
        return attempt(gateway, notification, deadline, 1);
    }

    private CompletableFuture<Outcome> attempt(Gateway gateway, Notification notification, Instant deadline, int n) {
        return gateway.send(notification).exceptionally(e -> Attempt.networkError(new RuntimeException(e)))
                .thenCompose(attempt -> {
                    Duration wait = delay(n, attempt.retryAfter());
                    if (attempt.verdict() != Attempt.Verdict.RETRY || n >= maxAttempts
                            || clock.instant().plus(wait).isAfter(deadline)) {
                        return CompletableFuture.completedFuture(new Outcome(attempt, n));
                    }
                    Executor later = CompletableFuture.delayedExecutor(wait.toMillis(), TimeUnit.MILLISECONDS);
                    return CompletableFuture.supplyAsync(() -> null, later)
                            .thenCompose(ignored -> attempt(gateway, notification, deadline, n + 1));
                });
    }

    /** The wait before attempt n + 1. */
    Duration delay(int n, Duration retryAfter) {
        long step = Math.min(cap.toMillis(), base.toMillis() << Math.min(20, n - 1));
        long jittered = step / 2 + ThreadLocalRandom.current().nextLong(step / 2 + 1);
        return retryAfter == null ? Duration.ofMillis(jittered) : Duration.ofMillis(Math.max(jittered, retryAfter.toMillis()));
    }
}
