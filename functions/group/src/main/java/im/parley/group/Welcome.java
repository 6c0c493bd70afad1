package im.parley.group;

import java.util.Set;

/**
 * Whom an actor may bring into a group, from the social graph: never a user who {@code refused} them (blocked
 * them), and, where members add only their friends, anyone else is {@code invitedOnly}: invited, not added. Also
 * whether the actor holds an invitation, which lets them join a group that is not open to all.
 */
public record Welcome(Set<String> refused, Set<String> invitedOnly, boolean actorInvited) {

    public static final Welcome ANYONE = new Welcome(Set.of(), Set.of(), false);

    public static Welcome refusing(Set<String> refused) {
        return new Welcome(refused, Set.of(), false);
    }
}
