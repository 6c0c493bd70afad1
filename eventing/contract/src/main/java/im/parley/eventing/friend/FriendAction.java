package im.parley.eventing.friend;

/** Accept, decline, cancel, remove, block or unblock: userId is the other user. */
public record FriendAction(String userId) {
}
