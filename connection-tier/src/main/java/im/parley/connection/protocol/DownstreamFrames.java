package im.parley.connection.protocol;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import im.parley.eventing.EventJson;

/** Frames the tier itself writes to a client. Everything else arrives ready-made in delivery batches. */
public final class DownstreamFrames {

    private DownstreamFrames() {
    }

    public static String error(String requestId, String code, String reason) {
        ObjectNode d = EventJson.MAPPER.createObjectNode().put("code", code).put("reason", reason);
        return frame("error", requestId, d);
    }

    /** The broker did not take a frame: resend it (a {@code send} with the same clientMsgId, flagged resend). */
    public static String unavailable(String requestId, String clientMsgId) {
        ObjectNode d = EventJson.MAPPER.createObjectNode().put("code", "unavailable")
                .put("reason", "the frame could not be stored; send it again");
        if (clientMsgId != null) {
            d.put("clientMsgId", clientMsgId);
        }
        return frame("error", requestId, d);
    }

    public static String pong(String requestId) {
        return frame("pong", requestId, null);
    }

    /** Sent before a drain closes the socket: reconnect, another node will take over. */
    public static String reconnect() {
        return frame("reconnect", null, null);
    }

    /** Deliveries meant for this socket may have been lost (the node fell behind its stream): catch up now. */
    public static String resync() {
        return frame("resync", null, null);
    }

    public static String welcome(String userId, String deviceId, String nodeId) {
        ObjectNode d = EventJson.MAPPER.createObjectNode().put("userId", userId).put("deviceId", deviceId)
                .put("nodeId", nodeId);
        return frame("welcome", null, d);
    }

    public static String frame(String t, String requestId, JsonNode d) {
        ObjectNode frame = EventJson.MAPPER.createObjectNode().put("v", FrameConversion.VERSION).put("t", t);
        if (requestId != null) {
            frame.put("id", requestId);
        }
        if (d != null) {
            frame.set("d", d);
        }
        try {
            return EventJson.MAPPER.writeValueAsString(frame);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
