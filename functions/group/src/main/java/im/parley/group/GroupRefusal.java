package im.parley.group;

/** A membership request that is not allowed; the requester gets an {@code error} frame with the code. */
public final class GroupRefusal extends RuntimeException {

    public enum Code { GROUP_EXISTS, GROUP_UNKNOWN, NOT_MEMBER, NOT_ALLOWED, LIMIT_EXCEEDED, OWNER_MUST_TRANSFER }

    private final Code code;

    public GroupRefusal(Code code, String reason) {
        super(reason, null, false, false);
        this.code = code;
    }

    public Code code() {
        return code;
    }
}
