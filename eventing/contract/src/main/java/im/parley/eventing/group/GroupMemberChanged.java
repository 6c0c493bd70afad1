package im.parley.eventing.group;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Locale;

/** version increases with every membership change of the group, so consumers can drop stale news. */
public record GroupMemberChanged(String groupId, Change change, String actor, List<Member> members, int memberCount,
                                 long version) {

    public record Member(String userId, Role role) {
    }

    public enum Change {
        @JsonProperty("created") CREATED,
        @JsonProperty("joined") JOINED,
        @JsonProperty("invited") INVITED,
        @JsonProperty("left") LEFT,
        @JsonProperty("removed") REMOVED,
        @JsonProperty("role-changed") ROLE_CHANGED
    }

    public enum Role {
        @JsonProperty("owner") OWNER,
        @JsonProperty("admin") ADMIN,
        @JsonProperty("member") MEMBER;

        /** The role's wire and storage name: owner, admin or member. */
        public String value() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Role of(String value) {
            return valueOf(value.toUpperCase(Locale.ROOT));
        }
    }
}
