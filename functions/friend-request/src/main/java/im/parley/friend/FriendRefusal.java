package im.parley.friend;

/** A friend operation that is not allowed; the requesting device gets an {@code error} frame with the code. */
public final class FriendRefusal extends RuntimeException {

    public enum Code { INVALID, BLOCKED, ALREADY_FRIENDS, NO_REQUEST, NOT_FRIENDS, LIMIT_EXCEEDED }

    private final Code code;

    public FriendRefusal(Code code, String reason) {
        super(reason, null, false, false);
        this.code = code;
    }

    public Code code() {
        return code;
    }
}
