package im.parley.eventing.push;

import java.util.List;

/** One message's offline recipients: one event per message, never one per member (see decision 0011). */
public record PushRequested(String conversationId, long serverSeq, String sender, String preview, List<String> userIds) {
}
