package im.parley.eventing.delivery;

import com.fasterxml.jackson.databind.node.ObjectNode;
import im.parley.eventing.Actor;
import im.parley.eventing.message.DeviceRef;
import java.util.List;

/**
 * Frames for the devices on one connection node. Each item's frame is encoded once by the node
 * and shared by all its targets.
 */
public record DeliveryBatch(String nodeId, List<Item> items) {

    public record Item(List<DeviceRef> targets, ObjectNode frame) {
    }

    /** One frame for these devices on one node. */
    public static DeliveryBatch of(String nodeId, List<DeviceRef> targets, ObjectNode frame) {
        return new DeliveryBatch(nodeId, List.of(new Item(targets, frame)));
    }

    /** One frame for the device an event came from (its actor), on that device's node. */
    public static DeliveryBatch toActor(Actor actor, ObjectNode frame) {
        return of(actor.nodeId(), List.of(new DeviceRef(actor.userId(), actor.deviceId())), frame);
    }
}
