package im.parley.membership;

import im.parley.eventing.group.GroupInvitation;
import im.parley.eventing.group.GroupMemberChanged;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Groups in memory, for unit tests; {@link GroupsContract} holds them to what Cassandra answers. */
public final class InMemoryGroups implements Groups {

    private final Map<String, Map<String, GroupMemberChanged.Role>> groups = new ConcurrentHashMap<>();
    private final List<Map.Entry<String, GroupInvitation>> invitations = new ArrayList<>();

    /** A group whose first user is its owner and the rest members. */
    public void create(String groupId, List<String> users) {
        Map<String, GroupMemberChanged.Role> members = new LinkedHashMap<>();
        for (String user : users) {
            members.put(user, members.isEmpty() ? GroupMemberChanged.Role.OWNER : GroupMemberChanged.Role.MEMBER);
        }
        groups.put(groupId, members);
    }

    /** Gives a member another role, as the group function does. */
    public void setRole(String groupId, String userId, GroupMemberChanged.Role role) {
        groups.get(groupId).put(userId, role);
    }

    public synchronized void invite(String userId, GroupInvitation invitation) {
        invitations.add(Map.entry(userId, invitation));
    }

    @Override
    public boolean exists(String groupId) {
        return groups.containsKey(groupId);
    }

    @Override
    public boolean isMember(String groupId, String userId) {
        return groups.getOrDefault(groupId, Map.of()).containsKey(userId);
    }

    @Override
    public Optional<GroupMemberChanged.Role> role(String groupId, String userId) {
        return Optional.ofNullable(groups.getOrDefault(groupId, Map.of()).get(userId));
    }

    @Override
    public List<GroupMemberChanged.Member> members(String groupId) {
        return groups.getOrDefault(groupId, Map.of()).entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .map(e -> new GroupMemberChanged.Member(e.getKey(), e.getValue())).toList();
    }

    @Override
    public synchronized List<GroupInvitation> invitations(String userId) {
        return invitations.stream().filter(e -> e.getKey().equals(userId)).map(Map.Entry::getValue)
                .sorted(Comparator.comparing(GroupInvitation::since, Comparator.nullsLast(Comparator.reverseOrder())))
                .toList();
    }
}
