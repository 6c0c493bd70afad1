package im.parley.group;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import im.parley.eventing.group.GroupCreateRequested;
import im.parley.eventing.group.GroupMemberChanged.Change;
import im.parley.eventing.group.GroupMemberChanged.Role;
import im.parley.eventing.group.GroupMembersRequested;
import im.parley.eventing.group.GroupRoleRequested;
import im.parley.group.GroupRefusal.Code;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MembershipTest {

    final Membership rules = new Membership(4);

    GroupState crew(boolean joinable) {
        return rules.create(null, "ann", new GroupCreateRequested("crew", "Crew", List.of("ben", "cat"), joinable), "e1", Welcome.ANYONE);
    }

    static void refused(Runnable request, Code code) {
        assertThatThrownBy(request::run).isInstanceOfSatisfying(GroupRefusal.class, r -> assertThat(r.code()).isEqualTo(code));
    }

    @Test
    void theCreatorOwnsTheGroupAndTheInitialMembersAreMembers() {
        GroupState g = crew(false);
        assertThat(g.owner()).isEqualTo("ann");
        assertThat(g.members()).containsEntry("ben", Role.MEMBER).containsEntry("cat", Role.MEMBER).hasSize(3);
        assertThat(g.version()).isEqualTo(1);
        assertThat(g.lastChange().change()).isEqualTo(Change.CREATED);
        assertThat(g.lastChange().memberCount()).isEqualTo(3);
        refused(() -> rules.create(g, "dan", new GroupCreateRequested("crew", "Again", null, null), "e2", Welcome.ANYONE), Code.GROUP_EXISTS);
        refused(() -> rules.create(null, "ann", new GroupCreateRequested("big", "Big", List.of("b", "c", "d", "e"), null), "e3", Welcome.ANYONE),
                Code.LIMIT_EXCEEDED);
    }

    @Test
    void aClosedGroupIsJoinedByInvitationFromTheOwnerOrAnAdmin() {
        GroupState g = crew(false);
        refused(() -> rules.join(g, "dan", new GroupMembersRequested("crew", null), "e2", Welcome.ANYONE), Code.NOT_ALLOWED);
        refused(() -> rules.join(g, "ben", new GroupMembersRequested("crew", List.of("dan")), "e2", Welcome.ANYONE), Code.NOT_ALLOWED);
        refused(() -> rules.join(g, "zed", new GroupMembersRequested("crew", List.of("dan")), "e2", Welcome.ANYONE), Code.NOT_MEMBER);
        GroupState invited = rules.join(g, "ann", new GroupMembersRequested("crew", List.of("dan", "ben")), "e2", Welcome.ANYONE);
        assertThat(invited.lastChange().change()).isEqualTo(Change.INVITED);
        assertThat(invited.lastChange().members()).extracting(m -> m.userId()).containsExactly("dan");
        assertThat(invited.version()).isEqualTo(2);
        assertThat(rules.join(invited, "ann", new GroupMembersRequested("crew", List.of("dan")), "e3", Welcome.ANYONE)).isNull();
        refused(() -> rules.join(invited, "ann", new GroupMembersRequested("crew", List.of("eve")), "e3", Welcome.ANYONE), Code.LIMIT_EXCEEDED);
    }

    @Test
    void anyoneJoinsAJoinableGroupAndEveryMemberInvites() {
        GroupState g = crew(true);
        GroupState joined = rules.join(g, "dan", new GroupMembersRequested("crew", null), "e2", Welcome.ANYONE);
        assertThat(joined.lastChange().change()).isEqualTo(Change.JOINED);
        assertThat(rules.join(joined, "dan", new GroupMembersRequested("crew", null), "e3", Welcome.ANYONE)).isNull();
        refused(() -> rules.join(joined, "eve", new GroupMembersRequested("crew", null), "e3", Welcome.ANYONE), Code.LIMIT_EXCEEDED);
        GroupState other = crew(true);
        assertThat(rules.join(other, "ben", new GroupMembersRequested("crew", List.of("dan")), "e2", Welcome.ANYONE).members())
                .containsKey("dan");
        refused(() -> rules.join(null, "dan", new GroupMembersRequested("nope", null), "e2", Welcome.ANYONE), Code.GROUP_UNKNOWN);
    }

    @Test
    void ownersRemoveAnyoneAdminsRemoveMembersAndMembersRemoveNobody() {
        GroupState g = rules.role(crew(false), "ann", new GroupRoleRequested("crew", "ben", Role.ADMIN), "e2");
        assertThat(g.members()).containsEntry("ben", Role.ADMIN);
        refused(() -> rules.leave(g, "cat", new GroupMembersRequested("crew", List.of("ben")), "e3"), Code.NOT_ALLOWED);
        refused(() -> rules.leave(g, "ben", new GroupMembersRequested("crew", List.of("ann")), "e3"), Code.NOT_ALLOWED);
        GroupState removed = rules.leave(g, "ben", new GroupMembersRequested("crew", List.of("cat", "zed")), "e3");
        assertThat(removed.lastChange().change()).isEqualTo(Change.REMOVED);
        assertThat(removed.lastChange().members()).extracting(m -> m.userId()).containsExactly("cat");
        assertThat(removed.members()).doesNotContainKey("cat");
        assertThat(rules.leave(g, "ann", new GroupMembersRequested("crew", List.of("ben")), "e3").members())
                .containsOnlyKeys("ann", "cat");
    }

    @Test
    void theOwnerHandsOverBeforeLeavingAndOnlyTheOwnerSetsRoles() {
        GroupState g = crew(false);
        refused(() -> rules.leave(g, "ann", new GroupMembersRequested("crew", null), "e2"), Code.OWNER_MUST_TRANSFER);
        refused(() -> rules.role(g, "ben", new GroupRoleRequested("crew", "cat", Role.ADMIN), "e2"), Code.NOT_ALLOWED);
        refused(() -> rules.role(g, "ann", new GroupRoleRequested("crew", "zed", Role.ADMIN), "e2"), Code.NOT_MEMBER);
        GroupState handed = rules.role(g, "ann", new GroupRoleRequested("crew", "ben", Role.OWNER), "e2");
        assertThat(handed.owner()).isEqualTo("ben");
        assertThat(handed.members()).containsEntry("ann", Role.ADMIN);
        assertThat(handed.lastChange().change()).isEqualTo(Change.ROLE_CHANGED);
        GroupState left = rules.leave(handed, "ann", new GroupMembersRequested("crew", null), "e3");
        assertThat(left.lastChange().change()).isEqualTo(Change.LEFT);
        assertThat(left.members()).containsOnlyKeys("ben", "cat");
        assertThat(rules.leave(left, "ann", new GroupMembersRequested("crew", null), "e4")).isNull();
    }

    @Test
    void nobodyAddsAUserWhoMayNotBeAddedByThemAndTheReasonIsNotTold() {
        assertThatThrownBy(() -> rules.create(null, "ann", new GroupCreateRequested("g2", "G", List.of("ben", "cat"), null),
                "e1", Welcome.refusing(Set.of("cat")))).isInstanceOfSatisfying(GroupRefusal.class, r -> {
                    assertThat(r.code()).isEqualTo(Code.NOT_ALLOWED);
                    assertThat(r.getMessage()).isEqualTo("cannot be added by you: cat");
                });
        GroupState g = crew(false);
        refused(() -> rules.join(g, "ann", new GroupMembersRequested("crew", List.of("dan")), "e2", Welcome.refusing(Set.of("dan"))),
                Code.NOT_ALLOWED);
        // Someone already a member is not added again, so it does not matter whether they could be.
        assertThat(rules.join(g, "ann", new GroupMembersRequested("crew", List.of("ben")), "e2", Welcome.refusing(Set.of("ben")))).isNull();
    }
}
