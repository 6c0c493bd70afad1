package im.parley.eventing.group;

/** The owner sets a member's role; {@code owner} hands ownership over and leaves the old owner an admin. */
public record GroupRoleRequested(String groupId, String userId, GroupMemberChanged.Role role) {
}
