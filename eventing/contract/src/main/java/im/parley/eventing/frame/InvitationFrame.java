package im.parley.eventing.frame;

import com.fasterxml.jackson.annotation.JsonProperty;

/** {@code invitation}: you are invited to a group, or your decline was taken. */
public record InvitationFrame(Change change, String groupId, String name, String actor) implements FrameData {

    public enum Change {
        @JsonProperty("invited") INVITED,
        @JsonProperty("declined") DECLINED
    }

    @Override
    public String t() {
        return "invitation";
    }
}
