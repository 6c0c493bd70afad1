package im.parley.eventing.push;

import com.fasterxml.jackson.annotation.JsonProperty;

public record PushFailed(String userId, String deviceId, PushProvider provider, String conversationId, long serverSeq,
                         Reason reason, Integer status, int attempts) {

    public enum Reason {
        @JsonProperty("token-invalid") TOKEN_INVALID,
        @JsonProperty("rate-limited") RATE_LIMITED,
        @JsonProperty("provider-error") PROVIDER_ERROR,
        @JsonProperty("retries-exhausted") RETRIES_EXHAUSTED,
        @JsonProperty("quiet-hours") QUIET_HOURS
    }
}
