package im.parley.eventing.sync;

import im.parley.eventing.message.DeviceRef;
import im.parley.eventing.message.Message;
import java.util.List;

public record SyncResponded(String requestId, DeviceRef target, String nodeId, List<ConversationSummary> conversations,
                            List<Message> messages, boolean hasMore) {
}
