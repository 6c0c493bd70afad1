package im.parley.membership;

import im.parley.eventing.group.GroupInvitation;
import im.parley.eventing.group.GroupMemberChanged;
import java.util.List;
import java.util.Optional;

/** The groups the group function keeps, read by the functions that must respect or list them. */
public interface Groups {

    /** One point read. */
    boolean exists(String groupId);

    /** One point read. */
    boolean isMember(String groupId, String userId);

    /** A member's role, one point read; empty for one who is not a member. */
    Optional<GroupMemberChanged.Role> role(String groupId, String userId);

    /** A group's members with their roles; empty for a group that does not exist. */
    List<GroupMemberChanged.Member> members(String groupId);

    /** The invitations a user has not answered, newest first. */
    List<GroupInvitation> invitations(String userId);
}
