package im.parley.eventing.push;

public record PushSent(String userId, String deviceId, PushProvider provider, String conversationId, long serverSeq,
                       int collapsedCount, int attempts) {
}
