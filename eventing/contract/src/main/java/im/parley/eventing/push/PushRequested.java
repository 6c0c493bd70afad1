package im.parley.eventing.push;

public record PushRequested(String userId, String conversationId, long serverSeq, String sender, String preview) {
}
