package im.parley.eventing.presence;

import com.fasterxml.jackson.annotation.JsonProperty;

public enum PresenceState {
    @JsonProperty("online") ONLINE,
    @JsonProperty("away") AWAY,
    @JsonProperty("offline") OFFLINE
}
