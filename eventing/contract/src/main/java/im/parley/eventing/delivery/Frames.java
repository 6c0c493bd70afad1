package im.parley.eventing.delivery;

import com.fasterxml.jackson.databind.node.ObjectNode;
import im.parley.eventing.EventJson;
import im.parley.eventing.frame.FrameData;

/** Downstream protocol frames (docs/protocol.md) as functions put them into delivery batches. */
public final class Frames {

    /** The protocol version every frame carries. */
    public static final int VERSION = 1;

    private Frames() {
    }

    /** {@code {"v":1,"t":data.t(),"d":data}}: a typed frame. */
    public static ObjectNode of(FrameData data) {
        return of(data.t(), null, (ObjectNode) EventJson.MAPPER.valueToTree(data));
    }

    /** {@code {"v":1,"t":type,"d":data}}, where data is an event's record that the frame carries as it is. */
    public static ObjectNode of(String type, Record data) {
        return of(type, null, (ObjectNode) EventJson.MAPPER.valueToTree(data));
    }

    /** {@code {"v":1,"t":type,"d":data}}. */
    public static ObjectNode of(String type, ObjectNode data) {
        return of(type, null, data);
    }

    /** The answer to the client's request {@code requestId}, carrying an event's record as it is. */
    public static ObjectNode of(String type, String requestId, Record data) {
        return of(type, requestId, (ObjectNode) EventJson.MAPPER.valueToTree(data));
    }

    /** {@code {"v":1,"t":type,"id":requestId,"d":data}}: the answer to the client's request {@code requestId}. */
    public static ObjectNode of(String type, String requestId, ObjectNode data) {
        ObjectNode frame = EventJson.MAPPER.createObjectNode().put("v", VERSION).put("t", type);
        if (requestId != null) {
            frame.put("id", requestId);
        }
        frame.set("d", data);
        return frame;
    }

    /** The bytes a client receives: a frame is encoded once, by the function that makes it. */
    public static byte[] encode(ObjectNode frame) {
        try {
            return EventJson.MAPPER.writeValueAsBytes(frame);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot encode a frame: " + e.getOriginalMessage(), e);
        }
    }
}
