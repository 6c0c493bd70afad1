package im.parley.eventing;

import im.parley.eventing.message.DeviceRef;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import java.util.Optional;

/**
 * The authenticated user and device behind an event, and the node holding their socket.
 * Only the connection tier sets these, from the verified token; functions carry them forward in replies.
 */
public record Actor(String userId, String deviceId, String nodeId) {

    public static final String USER = "userid";
    public static final String DEVICE = "deviceid";
    public static final String NODE = "nodeid";

    public static Optional<Actor> of(CloudEvent event) {
        Object user = event.getExtension(USER);
        Object device = event.getExtension(DEVICE);
        Object node = event.getExtension(NODE);
        if (user == null || device == null || node == null) {
            return Optional.empty();
        }
        return Optional.of(new Actor(user.toString(), device.toString(), node.toString()));
    }

    public static Actor require(CloudEvent event) {
        return of(event).orElseThrow(() -> new InvalidEventException(
                "event " + event.getId() + " (" + event.getType() + ") carries no authenticated actor"));
    }

    /** The device this actor sent from. */
    public DeviceRef device() {
        return new DeviceRef(userId, deviceId);
    }

    void stamp(CloudEventBuilder builder) {
        builder.withExtension(USER, userId).withExtension(DEVICE, deviceId).withExtension(NODE, nodeId);
    }
}
