package im.parley.eventing.friend;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;

/** One line of a user's friend list, as sync returns it: a friend, a pending request either way, or a block. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FriendEntry(String userId, Relation relation, Instant since, String message) {

    public enum Relation {
        @JsonProperty("friend") FRIEND,
        @JsonProperty("incoming") INCOMING,
        @JsonProperty("outgoing") OUTGOING,
        @JsonProperty("blocked") BLOCKED
    }
}
