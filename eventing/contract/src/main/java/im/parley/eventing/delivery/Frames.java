package im.parley.eventing.delivery;

import com.fasterxml.jackson.databind.node.ObjectNode;
import im.parley.eventing.EventJson;

/** Downstream protocol frames (docs/protocol.md) as functions put them into delivery batches. */
public final class Frames {

    /** The protocol version every frame carries. */
    public static final int VERSION = 1;

    private Frames() {
    }

    /** {@code {"v":1,"t":type,"d":data}}. */
    public static ObjectNode of(String type, ObjectNode data) {
        ObjectNode frame = EventJson.MAPPER.createObjectNode().put("v", VERSION).put("t", type);
        frame.set("d", data);
        return frame;
    }
}
