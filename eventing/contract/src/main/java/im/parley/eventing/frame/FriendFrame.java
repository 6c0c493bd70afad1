package im.parley.eventing.frame;

import com.fasterxml.jackson.annotation.JsonProperty;

/** {@code friend}: a step between two users; {@code userId} is the other user, {@code message} only on a request. */
public record FriendFrame(Change change, String userId, String actor, String message) implements FrameData {

    public enum Change {
        @JsonProperty("requested") REQUESTED,
        @JsonProperty("accepted") ACCEPTED,
        @JsonProperty("declined") DECLINED,
        @JsonProperty("cancelled") CANCELLED,
        @JsonProperty("removed") REMOVED,
        @JsonProperty("blocked") BLOCKED,
        @JsonProperty("unblocked") UNBLOCKED
    }

    @Override
    public String t() {
        return "friend";
    }
}
