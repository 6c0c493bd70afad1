package im.parley.presence.watch;

import java.util.Set;

/** The part of the social graph presence needs. */
public interface SocialGraph {

    Set<String> friendsOf(String userId);

    /** The users this user has blocked. */
    Set<String> blockedBy(String userId);

    boolean blockedEitherWay(String a, String b);
}
