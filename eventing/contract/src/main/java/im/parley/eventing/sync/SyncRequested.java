package im.parley.eventing.sync;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;

/**
 * history: one page of conversationId after afterSeq; conversations: the conversation list;
 * catch-up: everything after the device's cursors (conversationId to last seq it holds);
 * members: a group's members and roles; readers: who has read conversationId up to seq;
 * friends: the requester's friends, pending requests and blocks; invitations: the groups the requester is invited to.
 */
public record SyncRequested(String requestId, Kind kind, String conversationId, Long afterSeq, Integer limit,
                            Map<String, Long> cursors, Long seq) {

    public enum Kind {
        @JsonProperty("history") HISTORY,
        @JsonProperty("conversations") CONVERSATIONS,
        @JsonProperty("catch-up") CATCH_UP,
        @JsonProperty("members") MEMBERS,
        @JsonProperty("readers") READERS,
        @JsonProperty("friends") FRIENDS,
        @JsonProperty("invitations") INVITATIONS
    }
}
