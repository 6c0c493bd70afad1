package im.parley.push;

import java.net.http.HttpResponse;
import java.time.Duration;

/** What one request to a provider came to. {@code retryAfter} is the provider's Retry-After, when it gave one. */
public record Attempt(Verdict verdict, int status, Duration retryAfter, String detail) {

    public enum Verdict {
        DELIVERED,
        /** The provider says the token is dead (APNs 410 or BadDeviceToken, FCM UNREGISTERED): drop it. */
        TOKEN_INVALID,
        /** Worth another try: throttled, a 5xx, a network error, an expired credential. */
        RETRY,
        /** Refused for good, for a reason that is not the token's. */
        REJECTED
    }

    public static Attempt networkError(Exception e) {
        return new Attempt(Verdict.RETRY, 0, null, e.toString());
    }

    /** The Retry-After header in seconds, as both providers send it; null when absent or unreadable. */
    static Duration retryAfter(HttpResponse<?> response) {
        try {
            return response.headers().firstValue("retry-after").map(v -> Duration.ofSeconds(Long.parseLong(v.trim())))
                    .orElse(null);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
