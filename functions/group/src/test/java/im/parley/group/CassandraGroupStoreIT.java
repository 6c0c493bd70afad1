package im.parley.group;

import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.driver.api.core.CqlSession;
import im.parley.cassandra.CassandraSessions;
import im.parley.cassandra.CassandraSettings;
import im.parley.cassandra.CqlMigrations;
import im.parley.eventing.group.GroupCreateRequested;
import im.parley.eventing.group.GroupMemberChanged.Role;
import im.parley.eventing.group.GroupMembersRequested;
import im.parley.stack.CassandraServer;
import im.parley.stack.junit.LocalStack;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

@LocalStack
class CassandraGroupStoreIT {

    @Test
    void aLargeGroupIsRecordedAppliedAndReadBackWithItsLastChange(CassandraServer cassandra) {
        CassandraSettings settings = new CassandraSettings(cassandra.host(), cassandra.port(), cassandra.localDatacenter(),
                "group_store", CassandraSettings.LOCAL_REPLICATION);
        try (CqlSession admin = CassandraSessions.connect(settings)) {
            CqlMigrations.apply(admin, settings);
        }
        try (CqlSession session = CassandraSessions.connectToKeyspace(settings)) {
            CassandraGroupStore store = new CassandraGroupStore(session);
            Membership rules = new Membership(10_000);
            List<String> members = IntStream.range(0, 2_000).mapToObj(i -> "m" + i).toList();
            GroupState created = rules.create(null, "ann", new GroupCreateRequested("big", "Big", members, true), "e1",
                    Welcome.ANYONE);
            store.record(created);
            assertThat(store.load("big")).get().satisfies(g -> {
                assertThat(g.lastApplied()).as("recorded, not applied yet").isFalse();
                assertThat(g.lastChange()).isEqualTo(created.lastChange());
                assertThat(g.members()).isEmpty();
            });
            store.apply(created.lastChange());
            GroupState loaded = store.load("big").orElseThrow();
            assertThat(loaded.lastApplied()).isTrue();
            assertThat(loaded.members()).hasSize(2_001).containsEntry("ann", Role.OWNER).containsEntry("m1999", Role.MEMBER);
            assertThat(loaded.joinable()).isTrue();
            assertThat(session.execute("SELECT conversation_id FROM user_conversations WHERE user_id = 'm7'").one().getString(0))
                    .isEqualTo("g:big");

            GroupState removed = rules.leave(loaded, "ann", new GroupMembersRequested("big", List.of("m7")), "e2");
            store.record(removed);
            store.apply(removed.lastChange());
            store.apply(removed.lastChange());
            GroupState after = store.load("big").orElseThrow();
            assertThat(after.members()).hasSize(2_000).doesNotContainKey("m7");
            assertThat(after.version()).isEqualTo(2);
            assertThat(store.change("big", "e1")).contains(created.lastChange());
            assertThat(session.execute("SELECT conversation_id FROM user_conversations WHERE user_id = 'm7'").one()).isNull();
            assertThat(store.load("nothing")).isEmpty();

            store.invite("big", "Big", "ann", List.of("zoe", "yan"));
            assertThat(store.invited("big", "zoe")).isTrue();
            assertThat(store.invited("other", "zoe")).isFalse();
            GroupState joined = rules.join(after, "zoe", new GroupMembersRequested("big", null), "e3",
                    new Welcome(Set.of(), Set.of(), true));
            store.record(joined);
            store.apply(joined.lastChange());
            assertThat(store.invited("big", "zoe")).as("a member holds no invitation").isFalse();
            store.decline("big", "yan");
            assertThat(store.invited("big", "yan")).isFalse();
            assertThat(session.execute("SELECT group_name, inviter FROM group_invitations WHERE user_id = 'yan'").one()).isNull();
        }
    }
}
