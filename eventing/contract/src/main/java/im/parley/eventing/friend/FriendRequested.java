package im.parley.eventing.friend;

/** userId is the user being asked. */
public record FriendRequested(String userId, String message) {
}
