package im.parley.eventing.push;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** What became of one message's offline notifications: one outcome per device, or per user when none was tried. */
public record PushReported(String conversationId, long serverSeq, List<Outcome> outcomes) {

    /** @param count the messages in the conversation this notification stands for (collapsed ones included) */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Outcome(String userId, String deviceId, PushProvider provider, Result result, Reason reason,
                          Integer status, int attempts, int count) {
    }

    public enum Result {
        @JsonProperty("sent") SENT,
        @JsonProperty("collapsed") COLLAPSED,
        @JsonProperty("suppressed") SUPPRESSED,
        @JsonProperty("failed") FAILED
    }

    public enum Reason {
        @JsonProperty("token-invalid") TOKEN_INVALID,
        @JsonProperty("rate-limited") RATE_LIMITED,
        @JsonProperty("provider-error") PROVIDER_ERROR,
        @JsonProperty("retries-exhausted") RETRIES_EXHAUSTED,
        @JsonProperty("quiet-hours") QUIET_HOURS,
        @JsonProperty("no-device") NO_DEVICE,
        @JsonProperty("not-configured") NOT_CONFIGURED,
        @JsonProperty("recalled") RECALLED
    }
}
