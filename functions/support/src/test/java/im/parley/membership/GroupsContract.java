package im.parley.membership;

import static org.assertj.core.api.Assertions.assertThat;

import im.parley.eventing.group.GroupInvitation;
import im.parley.eventing.group.GroupMemberChanged;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** What every {@link Groups} answers: the in-memory one for unit tests and the Cassandra one alike. */
public abstract class GroupsContract {

    protected abstract Groups groups();

    /** Records a group, its first user as the owner and the others as members, as the group function does. */
    protected abstract void create(String groupId, String... members) throws Exception;

    /** Records an invitation, as the group function does. */
    protected abstract void invite(String userId, GroupInvitation invitation) throws Exception;

    @Test
    void membersComeWithTheirRolesByUserId() throws Exception {
        String team = "team-" + UUID.randomUUID();
        create(team, "cy", "ann", "bo");
        assertThat(groups().members(team)).extracting(m -> m.userId() + ":" + m.role())
                .containsExactly("ann:MEMBER", "bo:MEMBER", "cy:OWNER");
        assertThat(groups().members("none-" + UUID.randomUUID())).isEmpty();
    }

    @Test
    void invitationsAreListedNewestFirst() throws Exception {
        String pia = "pia-" + UUID.randomUUID();
        invite(pia, new GroupInvitation("old", "Old", "quin", Instant.parse("2026-11-01T00:00:00Z")));
        invite(pia, new GroupInvitation("new", "New", "rex", Instant.parse("2026-11-02T00:00:00Z")));
        assertThat(groups().invitations(pia)).extracting(i -> i.groupId() + ":" + i.name() + ":" + i.actor())
                .containsExactly("new:New:rex", "old:Old:quin");
        assertThat(groups().invitations("nobody-" + UUID.randomUUID())).isEmpty();
    }

    @Test
    void aGroupAndItsMembersAreKnownAndNobodyElse() throws Exception {
        String team = "team-" + UUID.randomUUID();
        create(team, "ann", "ben");
        assertThat(groups().exists(team)).isTrue();
        assertThat(groups().isMember(team, "ann")).isTrue();
        assertThat(groups().isMember(team, "ben")).isTrue();
        assertThat(groups().isMember(team, "cat")).isFalse();
        assertThat(groups().role(team, "ann")).contains(GroupMemberChanged.Role.OWNER);
        assertThat(groups().role(team, "ben")).contains(GroupMemberChanged.Role.MEMBER);
        assertThat(groups().role(team, "cat")).isEmpty();
        assertThat(groups().exists("none-" + UUID.randomUUID())).isFalse();
        assertThat(groups().isMember("none-" + UUID.randomUUID(), "ann")).isFalse();
    }
}
