package im.parley.group;

import im.parley.eventing.group.GroupMemberChanged;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The group store in memory, for unit tests; it passes {@link GroupStoreContract} as the Cassandra one does.
 * Recording or applying can be made to fail once, as a crash between the steps does.
 */
final class InMemoryGroupStore implements GroupStore {

    final Map<String, GroupState> headers = new HashMap<>();
    final Map<String, Map<String, GroupMemberChanged.Role>> rows = new HashMap<>();
    final Map<String, GroupMemberChanged> changes = new HashMap<>();
    /** "group user" to inviter. */
    final Map<String, String> invitations = new HashMap<>();
    boolean failNextApply;
    boolean failAfterChange;
    int applied;

    @Override
    public Optional<GroupState> load(String groupId) {
        GroupState h = headers.get(groupId);
        return h == null ? Optional.empty() : Optional.of(new GroupState(h.groupId(), h.name(), h.joinable(),
                new LinkedHashMap<>(rows.getOrDefault(groupId, Map.of())), h.version(), h.lastEventId(), h.lastChange(),
                h.lastApplied()));
    }

    @Override
    public Optional<GroupMemberChanged> change(String groupId, String eventId) {
        return Optional.ofNullable(changes.get(groupId + "/" + eventId));
    }

    @Override
    public void record(GroupState next) {
        changes.put(next.groupId() + "/" + next.lastEventId(), next.lastChange());
        if (failAfterChange) {
            failAfterChange = false;
            throw new IllegalStateException("process stopped between the change and the header");
        }
        headers.put(next.groupId(), next);
    }

    @Override
    public void apply(GroupMemberChanged change) {
        if (failNextApply) {
            failNextApply = false;
            throw new IllegalStateException("store unavailable");
        }
        Map<String, GroupMemberChanged.Role> members = rows.computeIfAbsent(change.groupId(), g -> new LinkedHashMap<>());
        change.members().forEach(m -> {
            if (change.change() == GroupMemberChanged.Change.LEFT || change.change() == GroupMemberChanged.Change.REMOVED) {
                members.remove(m.userId());
            } else {
                members.put(m.userId(), m.role());
                invitations.remove(change.groupId() + " " + m.userId());
            }
        });
        GroupState h = headers.get(change.groupId());
        headers.put(change.groupId(), new GroupState(h.groupId(), h.name(), h.joinable(), h.members(), h.version(),
                h.lastEventId(), h.lastChange(), true));
        applied++;
    }

    @Override
    public void invite(String groupId, String name, String inviter, Collection<String> users) {
        users.forEach(user -> invitations.put(groupId + " " + user, inviter));
    }

    @Override
    public boolean invited(String groupId, String userId) {
        return invitations.containsKey(groupId + " " + userId);
    }

    @Override
    public void decline(String groupId, String userId) {
        invitations.remove(groupId + " " + userId);
    }
}
