package im.parley.eventing.delivery;

import com.fasterxml.jackson.databind.node.ObjectNode;
import im.parley.eventing.message.DeviceRef;
import java.util.List;

/**
 * Frames for the devices on one connection node. Each item's frame is encoded once by the node
 * and shared by all its targets.
 */
public record DeliveryBatch(String nodeId, List<Item> items) {

    public record Item(List<DeviceRef> targets, ObjectNode frame) {
    }
}
