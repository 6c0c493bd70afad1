package im.parley.eventing.message;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Arrays;
import java.util.Optional;

public record MessageRejected(String conversationId, String clientMsgId, DeviceRef sender, Reason reason, String detail) {

    public enum Reason {
        @JsonProperty("not-member") NOT_MEMBER("not-member"),
        @JsonProperty("blocked") BLOCKED("blocked"),
        @JsonProperty("not-friends") NOT_FRIENDS("not-friends"),
        @JsonProperty("conversation-unknown") CONVERSATION_UNKNOWN("conversation-unknown"),
        @JsonProperty("invalid") INVALID("invalid");

        private final String code;

        Reason(String code) {
            this.code = code;
        }

        /** The code the sender's error frame carries. */
        public String code() {
            return code;
        }

        public static Optional<Reason> ofCode(String code) {
            return Arrays.stream(values()).filter(r -> r.code.equals(code)).findFirst();
        }
    }
}
