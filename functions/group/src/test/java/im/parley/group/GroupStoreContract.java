package im.parley.group;

import static org.assertj.core.api.Assertions.assertThat;

import im.parley.eventing.group.GroupCreateRequested;
import im.parley.eventing.group.GroupMemberChanged.Role;
import im.parley.eventing.group.GroupMembersRequested;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** What every {@link GroupStore} does: the in-memory one for unit tests and the Cassandra one alike. */
abstract class GroupStoreContract {

    final Membership rules = new Membership(10_000);

    abstract GroupStore store();

    static String group() {
        return "g" + UUID.randomUUID().toString().substring(0, 8);
    }

    GroupState created(String groupId, List<String> members) {
        GroupState created = rules.create(null, "ann", new GroupCreateRequested(groupId, "Crew", members, true), "e1",
                Welcome.ANYONE);
        store().record(created);
        return created;
    }

    @Test
    void aRecordedChangeShowsNoMembersUntilItIsApplied() {
        String g = group();
        GroupState created = created(g, List.of("ben", "cat"));
        assertThat(store().load(g)).get().satisfies(loaded -> {
            assertThat(loaded.lastApplied()).as("recorded, not applied yet").isFalse();
            assertThat(loaded.lastChange()).isEqualTo(created.lastChange());
            assertThat(loaded.members()).isEmpty();
            assertThat(loaded.version()).isEqualTo(1);
        });
        store().apply(created.lastChange());
        GroupState loaded = store().load(g).orElseThrow();
        assertThat(loaded.lastApplied()).isTrue();
        assertThat(loaded.members()).containsExactlyInAnyOrderEntriesOf(
                Map.of("ann", Role.OWNER, "ben", Role.MEMBER, "cat", Role.MEMBER));
        assertThat(loaded.name()).isEqualTo("Crew");
        assertThat(loaded.joinable()).isTrue();
        assertThat(loaded.lastEventId()).isEqualTo("e1");
    }

    @Test
    void aLargeGroupIsReadBackWhole() {
        String g = group();
        GroupState created = created(g, IntStream.range(0, 2_000).mapToObj(i -> "m" + i).toList());
        store().apply(created.lastChange());
        assertThat(store().load(g).orElseThrow().members()).hasSize(2_001)
                .containsEntry("ann", Role.OWNER).containsEntry("m1999", Role.MEMBER);
    }

    @Test
    void applyingAChangeTwiceLeavesWhatApplyingItOnceDoes() {
        String g = group();
        GroupState created = created(g, List.of("ben", "cat"));
        store().apply(created.lastChange());
        GroupState removed = rules.leave(store().load(g).orElseThrow(), "ann", new GroupMembersRequested(g, List.of("cat")),
                "e2");
        store().record(removed);
        store().apply(removed.lastChange());
        store().apply(removed.lastChange());
        GroupState after = store().load(g).orElseThrow();
        assertThat(after.members()).containsOnlyKeys("ann", "ben");
        assertThat(after.version()).isEqualTo(2);
        assertThat(after.lastEventId()).isEqualTo("e2");
    }

    @Test
    void eachEventsChangeIsRememberedUnderItsId() {
        String g = group();
        GroupState created = created(g, List.of("ben"));
        store().apply(created.lastChange());
        assertThat(store().change(g, "e1")).contains(created.lastChange());
        assertThat(store().change(g, "e9")).isEmpty();
        assertThat(store().change(group(), "e1")).isEmpty();
        assertThat(store().load(group())).isEmpty();
    }

    @Test
    void anInvitationHoldsUntilTheInviteeJoinsOrDeclines() {
        String g = group();
        GroupState created = created(g, List.of("ben"));
        store().apply(created.lastChange());
        store().invite(g, "Crew", "ann", List.of("zoe", "yan"));
        assertThat(store().invited(g, "zoe")).isTrue();
        assertThat(store().invited(g, "yan")).isTrue();
        assertThat(store().invited(group(), "zoe")).as("another group").isFalse();
        store().invite(g, "Crew", "ben", List.of("zoe"));
        assertThat(store().invited(g, "zoe")).as("invited again").isTrue();

        GroupState joined = rules.join(store().load(g).orElseThrow(), "zoe", new GroupMembersRequested(g, null), "e2",
                new Welcome(Set.of(), Set.of(), true));
        store().record(joined);
        store().apply(joined.lastChange());
        assertThat(store().invited(g, "zoe")).as("a member holds no invitation").isFalse();
        assertThat(store().load(g).orElseThrow().members()).containsKey("zoe");

        store().decline(g, "yan");
        assertThat(store().invited(g, "yan")).isFalse();
    }
}
