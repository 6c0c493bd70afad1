package im.parley.group;

import im.parley.eventing.group.GroupMemberChanged;
import java.util.Collection;
import java.util.Optional;

/** Where groups live. Writes are idempotent: applying a change twice leaves what applying it once does. */
public interface GroupStore {

    Optional<GroupState> load(String groupId);

    /** The change an event made, while it is remembered (days), so a redelivered event is answered the same. */
    Optional<GroupMemberChanged> change(String groupId, String eventId);

    /**
     * Records the change under its event id, then the group's new header, before the change is applied. Readers of
     * the members rely on this order: they keep a list only under a header marked applied (decision 0054).
     */
    void record(GroupState next);

    /**
     * Applies a recorded change to the member rows and the members' conversation lists, then marks it applied.
     * Whoever becomes a member no longer holds an invitation.
     */
    void apply(GroupMemberChanged change);

    /** Invites users the inviter may not add directly; inviting again renews it. An invitation lapses in 30 days. */
    void invite(String groupId, String name, String inviter, Collection<String> users);

    boolean invited(String groupId, String userId);

    /** The invitee says no: the invitation is gone. */
    void decline(String groupId, String userId);
}
