package im.parley.presence;

import im.parley.eventing.message.DeviceRef;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Where users' devices are connected right now: device to node id. */
public interface Presence {

    Map<DeviceRef, String> online(Collection<String> userIds);

    /** The online devices of these users by node, leaving out one device (the one that caused the delivery). */
    default Map<String, List<DeviceRef>> byNode(Collection<String> userIds, DeviceRef except) {
        return byNode(online(userIds), except);
    }

    /** Online devices by node, leaving out one device. */
    static Map<String, List<DeviceRef>> byNode(Map<DeviceRef, String> online, DeviceRef except) {
        Map<String, List<DeviceRef>> byNode = new LinkedHashMap<>();
        online.forEach((device, node) -> {
            if (!device.equals(except)) {
                byNode.computeIfAbsent(node, n -> new ArrayList<>()).add(device);
            }
        });
        return byNode;
    }
}
