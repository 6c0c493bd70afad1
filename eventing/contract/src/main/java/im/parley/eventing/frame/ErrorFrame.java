package im.parley.eventing.frame;

/**
 * {@code error}: a frame was refused after the tier took it; the fields after {@code reason} say what it was about,
 * and those that do not apply are null (left out).
 */
public record ErrorFrame(String code, String reason, String clientMsgId, String conversationId, String groupId,
                         String userId) implements FrameData {

    /** A refusal of a request about a user, such as a friend request. */
    public static ErrorFrame aboutUser(String code, String reason, String userId) {
        return new ErrorFrame(code, reason, null, null, null, userId);
    }

    /** A refusal of a request about a group. */
    public static ErrorFrame aboutGroup(String code, String reason, String groupId) {
        return new ErrorFrame(code, reason, null, null, groupId, null);
    }

    /** A refusal with nothing more to name. */
    public static ErrorFrame of(String code, String reason) {
        return new ErrorFrame(code, reason, null, null, null, null);
    }

    @Override
    public String t() {
        return "error";
    }
}
