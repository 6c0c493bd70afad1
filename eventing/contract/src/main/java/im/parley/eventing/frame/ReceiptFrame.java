package im.parley.eventing.frame;

import com.fasterxml.jackson.annotation.JsonProperty;

/** {@code receipt}: a member's delivered or read watermark moved. */
public record ReceiptFrame(String conversationId, String userId, Kind kind, long seq) implements FrameData {

    public enum Kind {
        @JsonProperty("delivered") DELIVERED,
        @JsonProperty("read") READ
    }

    @Override
    public String t() {
        return "receipt";
    }
}
