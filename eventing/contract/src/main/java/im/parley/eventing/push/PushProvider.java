package im.parley.eventing.push;

import com.fasterxml.jackson.annotation.JsonProperty;

public enum PushProvider {
    @JsonProperty("apns") APNS,
    @JsonProperty("fcm") FCM
}
