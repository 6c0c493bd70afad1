package im.parley.push;

import im.parley.eventing.push.PushProvider;

/** One notification for one device: what the user sees and what the app needs to open the conversation. */
public record Notification(String userId, String deviceId, PushProvider provider, String token, String appId,
                           String conversationId, long serverSeq, String title, String body, int count) {
}
