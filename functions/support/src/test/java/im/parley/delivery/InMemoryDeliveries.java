package im.parley.delivery;

import com.fasterxml.jackson.databind.node.ObjectNode;
import im.parley.eventing.delivery.DeliveryBatch;
import im.parley.eventing.message.DeviceRef;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@link Deliveries} in memory, for the unit tests of the functions that deliver: presence is a map of live devices,
 * and what would be appended to each node's stream is kept as a batch per frame. {@link DeliveriesContract} holds it
 * to what the Redis one does.
 */
public final class InMemoryDeliveries implements Deliveries {

    /** Live devices and their nodes; tests change it as devices come and go. */
    public final Map<DeviceRef, String> online = new LinkedHashMap<>();
    /** Every entry appended, in order, as one batch per node and frame. */
    public final List<DeliveryBatch> sent = new ArrayList<>();
    /** The names of frames sent once; a test may forget one, as the window's end does. */
    public final Set<String> sentOnce = new java.util.HashSet<>();
    /** Fails the next call before anything is sent, as a Redis that refuses a write does. */
    public boolean failNext;

    @Override
    public Set<String> toUsers(Collection<String> users, DeviceRef except, ObjectNode frame, String once,
                               List<DeliveryBatch> addressed) {
        if (failNext) {
            failNext = false;
            throw new IllegalStateException("Redis unavailable");
        }
        boolean again = once != null && sentOnce.contains(once);
        ObjectNode sending = again ? null : frame;
        Set<String> offline = new LinkedHashSet<>(users);
        Map<String, List<DeviceRef>> byNode = new LinkedHashMap<>();
        online.forEach((device, node) -> {
            if (users.contains(device.userId())) {
                offline.remove(device.userId());
                if (!device.equals(except)) {
                    byNode.computeIfAbsent(node, n -> new ArrayList<>()).add(device);
                }
            }
        });
        if (sending != null) {
            byNode.forEach((node, targets) -> sent.add(DeliveryBatch.of(node, targets, sending)));
        }
        for (DeliveryBatch batch : addressed) {
            batch.items().forEach(item -> sent.add(DeliveryBatch.of(batch.nodeId(), item.targets(), item.frame())));
        }
        if (once != null && sending != null) {
            sentOnce.add(once);
        }
        return offline;
    }

    /** The batches sent to one node, in order. */
    public List<DeliveryBatch> to(String node) {
        return sent.stream().filter(b -> b.nodeId().equals(node)).toList();
    }
}
