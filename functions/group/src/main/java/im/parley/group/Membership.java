package im.parley.group;

import im.parley.eventing.group.GroupCreateRequested;
import im.parley.eventing.group.GroupMemberChanged;
import im.parley.eventing.group.GroupMemberChanged.Change;
import im.parley.eventing.group.GroupMemberChanged.Member;
import im.parley.eventing.group.GroupMemberChanged.Role;
import im.parley.eventing.group.GroupMembersRequested;
import im.parley.eventing.group.GroupRoleRequested;
import im.parley.group.GroupRefusal.Code;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The membership rules. Each request gives the group's next state, with the change that leads there, or
 * {@code null} when there is nothing to change (joining twice, inviting members, leaving when gone).
 * <ul>
 *   <li>The creator owns the group. The owner sets roles and may hand ownership over; an owner leaves only
 *       after doing so, unless nobody else is left.</li>
 *   <li>The owner and admins invite; in a joinable group every member invites and anyone may join. A user who holds
 *       an invitation may join any group.</li>
 *   <li>The owner removes anyone; admins remove plain members.</li>
 *   <li>No request takes a group past {@code maxMembers}: it is refused whole.</li>
 *   <li>Nobody adds a user who blocked them: the request is refused whole, without saying why. Where only friends
 *       may be added, the others named are left out of the change (the caller invites them instead).</li>
 * </ul>
 */
public final class Membership {

    private final int maxMembers;

    public Membership(int maxMembers) {
        this.maxMembers = maxMembers;
    }

    public GroupState create(GroupState existing, String actor, GroupCreateRequested request, String eventId,
                             Welcome welcome) {
        if (existing != null) {
            throw new GroupRefusal(Code.GROUP_EXISTS, "group " + request.groupId() + " already exists");
        }
        Map<String, Role> members = new LinkedHashMap<>();
        members.put(actor, Role.OWNER);
        if (request.members() != null) {
            checkWelcome(request.members().stream().filter(m -> !m.equals(actor)).toList(), welcome);
            request.members().stream().filter(m -> !welcome.invitedOnly().contains(m))
                    .forEach(m -> members.putIfAbsent(m, Role.MEMBER));
        }
        checkLimit(members.size());
        List<Member> all = new ArrayList<>();
        members.forEach((user, role) -> all.add(new Member(user, role)));
        GroupMemberChanged change = new GroupMemberChanged(request.groupId(), Change.CREATED, actor, all, members.size(), 1);
        return new GroupState(request.groupId(), request.name(), Boolean.TRUE.equals(request.joinable()), members, 1,
                eventId, change, false);
    }

    /**
     * Without members, the actor joins (or takes up an invitation); with members, the actor adds them, none of them
     * refused, and those only invited left out.
     */
    public GroupState join(GroupState group, String actor, GroupMembersRequested request, String eventId,
                           Welcome welcome) {
        requireGroup(group, request.groupId());
        boolean invite = request.members() != null && !request.members().isEmpty();
        if (!invite) {
            if (group.members().containsKey(actor)) {
                return null;
            }
            if (!group.joinable() && !welcome.actorInvited()) {
                throw new GroupRefusal(Code.NOT_ALLOWED, "group " + group.groupId() + " is joined by invitation");
            }
            return next(group, actor, Change.JOINED, List.of(new Member(actor, Role.MEMBER)), eventId);
        }
        Role role = requireMember(group, actor);
        if (role == Role.MEMBER && !group.joinable()) {
            throw new GroupRefusal(Code.NOT_ALLOWED, "only the owner and admins invite to group " + group.groupId());
        }
        List<String> named = request.members().stream().distinct().filter(m -> !group.members().containsKey(m)).toList();
        checkWelcome(named, welcome);
        List<Member> added = named.stream().filter(m -> !welcome.invitedOnly().contains(m))
                .map(m -> new Member(m, Role.MEMBER)).toList();
        return added.isEmpty() ? null : next(group, actor, Change.INVITED, added, eventId);
    }

    /** Without members, the actor leaves; with members, the actor removes them. */
    public GroupState leave(GroupState group, String actor, GroupMembersRequested request, String eventId) {
        requireGroup(group, request.groupId());
        boolean remove = request.members() != null && !request.members().isEmpty();
        if (!remove) {
            Role role = group.members().get(actor);
            if (role == null) {
                return null;
            }
            if (role == Role.OWNER && group.members().size() > 1) {
                throw new GroupRefusal(Code.OWNER_MUST_TRANSFER, "the owner hands the group over before leaving");
            }
            return next(group, actor, Change.LEFT, List.of(new Member(actor, role)), eventId);
        }
        Role role = requireMember(group, actor);
        List<Member> removed = new ArrayList<>();
        for (String user : request.members().stream().distinct().toList()) {
            Role theirs = group.members().get(user);
            if (theirs == null) {
                continue;
            }
            if (user.equals(actor) || !outranks(role, theirs)) {
                throw new GroupRefusal(Code.NOT_ALLOWED, "a " + name(role) + " cannot remove " + user);
            }
            removed.add(new Member(user, theirs));
        }
        return removed.isEmpty() ? null : next(group, actor, Change.REMOVED, removed, eventId);
    }

    public GroupState role(GroupState group, String actor, GroupRoleRequested request, String eventId) {
        requireGroup(group, request.groupId());
        if (requireMember(group, actor) != Role.OWNER) {
            throw new GroupRefusal(Code.NOT_ALLOWED, "only the owner sets roles");
        }
        Role current = group.members().get(request.userId());
        if (current == null) {
            throw new GroupRefusal(Code.NOT_MEMBER, request.userId() + " is not a member of group " + group.groupId());
        }
        if (request.userId().equals(actor)) {
            throw new GroupRefusal(Code.NOT_ALLOWED, "the owner hands ownership to another member instead");
        }
        if (current == request.role()) {
            return null;
        }
        List<Member> changed = request.role() == Role.OWNER
                ? List.of(new Member(request.userId(), Role.OWNER), new Member(actor, Role.ADMIN))
                : List.of(new Member(request.userId(), request.role()));
        return next(group, actor, Change.ROLE_CHANGED, changed, eventId);
    }

    private GroupState next(GroupState group, String actor, Change change, List<Member> members, String eventId) {
        Map<String, Role> after = new LinkedHashMap<>(group.members());
        for (Member member : members) {
            if (change == Change.LEFT || change == Change.REMOVED) {
                after.remove(member.userId());
            } else {
                after.put(member.userId(), member.role());
            }
        }
        checkLimit(after.size());
        long version = group.version() + 1;
        return new GroupState(group.groupId(), group.name(), group.joinable(), after, version, eventId,
                new GroupMemberChanged(group.groupId(), change, actor, members, after.size(), version), false);
    }

    private static void checkWelcome(List<String> named, Welcome welcome) {
        List<String> refused = named.stream().filter(welcome.refused()::contains).toList();
        if (!refused.isEmpty()) {
            throw new GroupRefusal(Code.NOT_ALLOWED, "cannot be added by you: " + String.join(", ", refused));
        }
    }

    private void checkLimit(int size) {
        if (size > maxMembers) {
            throw new GroupRefusal(Code.LIMIT_EXCEEDED, "a group has at most " + maxMembers + " members");
        }
    }

    private static void requireGroup(GroupState group, String groupId) {
        if (group == null) {
            throw new GroupRefusal(Code.GROUP_UNKNOWN, "no group " + groupId);
        }
    }

    private static Role requireMember(GroupState group, String actor) {
        Role role = group.members().get(actor);
        if (role == null) {
            throw new GroupRefusal(Code.NOT_MEMBER, "not a member of group " + group.groupId());
        }
        return role;
    }

    private static boolean outranks(Role actor, Role target) {
        return actor == Role.OWNER ? target != Role.OWNER : actor == Role.ADMIN && target == Role.MEMBER;
    }

    private static String name(Role role) {
        return role.name().toLowerCase();
    }
}
