package im.parley.eventing.push;

public record PushTokenRegistered(PushProvider platform, String token, String appId) {
}
