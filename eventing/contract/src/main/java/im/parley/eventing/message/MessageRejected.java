package im.parley.eventing.message;

import com.fasterxml.jackson.annotation.JsonProperty;

public record MessageRejected(String conversationId, String clientMsgId, DeviceRef sender, Reason reason, String detail) {

    public enum Reason {
        @JsonProperty("not-member") NOT_MEMBER,
        @JsonProperty("blocked") BLOCKED,
        @JsonProperty("not-friends") NOT_FRIENDS,
        @JsonProperty("conversation-unknown") CONVERSATION_UNKNOWN,
        @JsonProperty("invalid") INVALID
    }
}
