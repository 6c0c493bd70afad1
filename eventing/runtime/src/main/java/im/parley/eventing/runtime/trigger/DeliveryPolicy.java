package im.parley.eventing.runtime.trigger;

import java.time.Duration;

/**
 * A Trigger's delivery spec, or its Broker's when the Trigger has none (never merged field by field). Attempts are
 * {@code retry + 1}; the delay before retry {@code n} (from 1) is {@code backoffDelay × n} when linear and
 * {@code backoffDelay × 2^n} when exponential.
 *
 * @param deadLetterTopic the Kafka topic of the dead-letter sink, or null when there is none (and a failed
 *                        event is then lost, as in Knative)
 */
public record DeliveryPolicy(int retry, Backoff backoff, Duration backoffDelay, Duration timeout, String deadLetterTopic) {

    public enum Backoff { LINEAR, EXPONENTIAL }

    public static final Duration DEFAULT_BACKOFF_DELAY = Duration.ofSeconds(1);

    public DeliveryPolicy {
        if (retry < 0) {
            throw new IllegalArgumentException("retry must not be negative: " + retry);
        }
    }

    public int attempts() {
        return retry + 1;
    }

    /** The wait before retry {@code n}, counted from 1. */
    public Duration delayBeforeRetry(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("retries are counted from 1: " + n);
        }
        return backoff == Backoff.LINEAR ? backoffDelay.multipliedBy(n) : backoffDelay.multipliedBy(1L << Math.min(n, 30));
    }

    /** HTTP statuses Knative retries; every other status of 300 or more goes to the dead-letter sink. */
    public static boolean retryable(int status) {
        return status >= 500 || status == 404 || status == 408 || status == 409 || status == 429;
    }
}
