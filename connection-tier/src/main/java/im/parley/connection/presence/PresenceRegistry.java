package im.parley.connection.presence;

import java.util.Collection;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/** Where the rest of the system learns which node holds a user's device. */
public interface PresenceRegistry extends AutoCloseable {

    /**
     * Records the device at this node, unless the user has {@code maxDevices} other live devices already: then
     * nothing is written and the answer is false.
     */
    CompletionStage<Boolean> online(String userId, String deviceId, int maxDevices);

    /** Removes the entry only while it still names this node: the device may have moved on already. */
    CompletionStage<Void> offline(String userId, String deviceId);

    /** Extends the life of every entry this node holds (user to devices). */
    CompletionStage<Void> refresh(Collection<Map.Entry<String, String>> devices);

    @Override
    void close();
}
