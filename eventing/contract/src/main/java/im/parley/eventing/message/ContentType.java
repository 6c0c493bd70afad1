package im.parley.eventing.message;

import com.fasterxml.jackson.annotation.JsonProperty;

public enum ContentType {
    @JsonProperty("text") TEXT,
    @JsonProperty("image") IMAGE,
    @JsonProperty("file") FILE,
    @JsonProperty("custom") CUSTOM
}
