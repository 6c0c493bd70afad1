package im.parley.membership;

import im.parley.eventing.group.GroupInvitation;
import java.util.List;

class InMemoryGroupsTest extends GroupsContract {

    final InMemoryGroups groups = new InMemoryGroups();

    @Override
    protected Groups groups() {
        return groups;
    }

    @Override
    protected void create(String groupId, String... members) {
        groups.create(groupId, List.of(members));
    }

    @Override
    protected void invite(String userId, GroupInvitation invitation) {
        groups.invite(userId, invitation);
    }
}
