package im.parley.eventing.connection;

import com.fasterxml.jackson.annotation.JsonProperty;

public record ConnectionClosed(Reason reason, Long durationMs) {

    public enum Reason {
        @JsonProperty("client-closed") CLIENT_CLOSED,
        @JsonProperty("idle-timeout") IDLE_TIMEOUT,
        @JsonProperty("slow-consumer") SLOW_CONSUMER,
        @JsonProperty("rate-limited") RATE_LIMITED,
        @JsonProperty("protocol-error") PROTOCOL_ERROR,
        @JsonProperty("drain") DRAIN,
        @JsonProperty("auth-expired") AUTH_EXPIRED,
        @JsonProperty("server-error") SERVER_ERROR,
        @JsonProperty("too-many-devices") TOO_MANY_DEVICES
    }
}
