package im.parley.stack.push;

/** A scripted answer: an HTTP status and, when set, a Retry-After in seconds. */
public record Reply(int status, Long retryAfterSeconds) {

    public static Reply of(int status) {
        return new Reply(status, null);
    }

    public static Reply retryAfter(int status, long seconds) {
        return new Reply(status, seconds);
    }
}
