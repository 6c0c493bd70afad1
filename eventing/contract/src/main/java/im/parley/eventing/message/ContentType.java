package im.parley.eventing.message;

import com.fasterxml.jackson.annotation.JsonProperty;

/** What a message holds. EDIT and RECALL are amendments of an earlier message, never sent by a client as such. */
public enum ContentType {
    @JsonProperty("text") TEXT,
    @JsonProperty("image") IMAGE,
    @JsonProperty("file") FILE,
    @JsonProperty("custom") CUSTOM,
    @JsonProperty("edit") EDIT,
    @JsonProperty("recall") RECALL;

    public boolean isAmendment() {
        return this == EDIT || this == RECALL;
    }
}
