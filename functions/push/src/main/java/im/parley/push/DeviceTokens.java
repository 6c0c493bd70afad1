package im.parley.push;

import im.parley.eventing.push.PushProvider;
import im.parley.eventing.push.PushSettingsUpdated.QuietHours;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/** Devices' push tokens and users' push settings. */
public interface DeviceTokens {

    record Device(String userId, String deviceId, PushProvider provider, String token, String appId) {
    }

    /** Registers the device's token, taking it from any other user or device that held it. */
    void register(Device device);

    /** Each user's devices with a token; users without any are left out. */
    Map<String, List<Device>> devices(Collection<String> userIds);

    /** Drops the token if the device still holds it (a newer one may have replaced it meanwhile). */
    void remove(Device device);

    void quietHours(String userId, QuietHours quietHours);

    /** Users with quiet hours set, and theirs. */
    Map<String, QuietHours> quietHours(Collection<String> userIds);
}
