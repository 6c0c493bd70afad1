package im.parley.group;

import im.parley.eventing.group.GroupMemberChanged;
import java.util.Optional;

/** Where groups live. Writes are idempotent: applying a change twice leaves what applying it once does. */
public interface GroupStore {

    Optional<GroupState> load(String groupId);

    /** The change an event made, while it is remembered (days), so a redelivered event is answered the same. */
    Optional<GroupMemberChanged> change(String groupId, String eventId);

    /** Records the change under its event id, then the group's new header, before the change is applied. */
    void record(GroupState next);

    /** Applies a recorded change to the member rows and the members' conversation lists, then marks it applied. */
    void apply(GroupMemberChanged change);
}
