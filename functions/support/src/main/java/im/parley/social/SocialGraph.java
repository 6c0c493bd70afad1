package im.parley.social;

import im.parley.eventing.friend.FriendEntry;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Friends and blocks, as the friend-request function records them, for the functions that must respect them. */
public interface SocialGraph {

    Set<String> friendsOf(String userId);

    /** A user's friend list: friends, requests either way (with their message) and those they blocked, with since. */
    List<FriendEntry> relations(String userId);

    /** The users this user has blocked. */
    Set<String> blockedBy(String userId);

    /** The users who have blocked this user. */
    Set<String> blockersOf(String userId);

    /** One point read: whether the two are friends (a friendship is recorded both ways). */
    boolean areFriends(String a, String b);

    /** One point read: whether {@code blocker} has blocked {@code blocked}. */
    boolean hasBlocked(String blocker, String blocked);

    default boolean blockedEitherWay(String a, String b) {
        return hasBlocked(a, b) || hasBlocked(b, a);
    }

    /** Those of {@code others} who have blocked {@code userId}. */
    Set<String> blockersAmong(String userId, Collection<String> others);

    /**
     * A user's friends and {@code others}, less anyone blocked either way. A friendship and a block never coexist,
     * so only the others are asked whether they blocked the user.
     */
    default Set<String> friendsAnd(String userId, Collection<String> others) {
        Set<String> friends = friendsOf(userId);
        Set<String> strangers = new LinkedHashSet<>(others);
        strangers.removeAll(friends);
        strangers.removeAll(blockedBy(userId));
        strangers.removeAll(blockersAmong(userId, strangers));
        Set<String> all = new LinkedHashSet<>(friends);
        all.addAll(strangers);
        return all;
    }
}
