package im.parley.social;

import java.util.Collection;
import java.util.Set;

/** Friends and blocks, as the friend-request function records them, for the functions that must respect them. */
public interface SocialGraph {

    Set<String> friendsOf(String userId);

    /** The users this user has blocked. */
    Set<String> blockedBy(String userId);

    boolean blockedEitherWay(String a, String b);

    /** Those of {@code others} who have blocked {@code userId}. */
    Set<String> blockersAmong(String userId, Collection<String> others);
}
