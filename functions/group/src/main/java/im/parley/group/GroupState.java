package im.parley.group;

import im.parley.eventing.group.GroupMemberChanged;
import im.parley.eventing.group.GroupMemberChanged.Role;
import java.util.Map;

/**
 * A group as stored: its members and roles, its version (one per change), and its last change with the id of
 * the event that caused it. A change is recorded before it is applied to the member rows, so a retried event
 * finds it and finishes it. A loaded state carries its last change only while that change is not yet applied.
 */
public record GroupState(String groupId, String name, boolean joinable, Map<String, Role> members, long version,
                         String lastEventId, GroupMemberChanged lastChange, boolean lastApplied) {

    public String owner() {
        return members.entrySet().stream().filter(e -> e.getValue() == Role.OWNER).map(Map.Entry::getKey)
                .findFirst().orElse(null);
    }
}
