package im.parley.presence;

import im.parley.eventing.message.DeviceRef;
import java.util.Collection;
import java.util.Map;

/** Where users' devices are connected right now: device to node id. */
public interface Presence {

    Map<DeviceRef, String> online(Collection<String> userIds);
}
