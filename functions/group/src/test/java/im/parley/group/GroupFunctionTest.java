package im.parley.group;

import static org.assertj.core.api.Assertions.assertThat;

import im.parley.delivery.Deliveries;
import im.parley.delivery.InMemoryDeliveries;
import im.parley.eventing.Actor;
import im.parley.eventing.EventTypes;
import im.parley.eventing.Events;
import im.parley.eventing.delivery.DeliveryBatch;
import im.parley.eventing.group.GroupCreateRequested;
import im.parley.eventing.group.GroupMemberChanged;
import im.parley.eventing.group.GroupMembersRequested;
import im.parley.eventing.message.DeviceRef;
import im.parley.functions.handlers.Handlers;
import im.parley.functions.handlers.TriggerTypes;
import im.parley.quota.InMemoryDailyQuota;
import im.parley.social.InMemorySocialGraph;
import io.cloudevents.CloudEvent;
import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class GroupFunctionTest {

    final InMemoryGroupStore store = new InMemoryGroupStore();
    final InMemoryDeliveries deliveries = new InMemoryDeliveries();
    final List<DeliveryBatch> frames = deliveries.sent;
    final List<String> forgotten = new ArrayList<>();
    final InMemorySocialGraph graph = new InMemorySocialGraph();
    final InMemoryDailyQuota creates = new InMemoryDailyQuota(3, Clock.systemUTC());
    /** Where devices are online: device to node. */
    final Map<DeviceRef, String> online = deliveries.online;
    final Handlers group = new GroupFunction(store, new Membership(10_000), deliveries, forgotten::add, graph,
            false, creates).handlers();

    @Test
    void itHandlesExactlyItsTriggersTypes() {
        assertThat(group.types()).containsExactlyInAnyOrderElementsOf(TriggerTypes.of("group"));
    }

    static CloudEvent create(String actor, List<String> members) {
        return create("crew", actor, members);
    }

    static CloudEvent create(String groupId, String actor, List<String> members) {
        return Events.create(EventTypes.GROUP_CREATE_REQUESTED, new GroupCreateRequested(groupId, "Crew", members, false),
                new Actor(actor, "phone", "n1"), URI.create("/parley/nodes/n1"));
    }

    static CloudEvent join(String actor, List<String> members) {
        return Events.create(EventTypes.GROUP_JOIN_REQUESTED, new GroupMembersRequested("crew", members),
                new Actor(actor, "phone", "n1"), URI.create("/parley/nodes/n1"));
    }

    @Test
    void aChangeIsAppliedAndRepliedAsGroupMemberChanged() {
        CloudEvent reply = group.apply(create("ann", List.of("ben")));
        assertThat(reply.getType()).isEqualTo(EventTypes.GROUP_MEMBER_CHANGED.type());
        assertThat(Events.partitionKey(reply)).isEqualTo("g:crew");
        GroupMemberChanged change = Events.data(EventTypes.GROUP_MEMBER_CHANGED, reply);
        assertThat(change.change()).isEqualTo(GroupMemberChanged.Change.CREATED);
        assertThat(change.actor()).isEqualTo("ann");
        assertThat(store.rows.get("crew")).containsOnlyKeys("ann", "ben");
        assertThat(frames).isEmpty();
        assertThat(forgotten).as("the group's cached posting rights").containsExactly("g:crew");
    }

    @Test
    void aUserWhoBlockedTheActorIsNeverAddedByThemAndFriendsOnlyAddsOnlyFriends() {
        graph.block("cat", "ann");
        assertThat(group.apply(create("ann", List.of("ben", "cat")))).isNull();
        assertThat(store.rows).doesNotContainKey("crew");
        assertThat(frames).hasSize(1);
        assertThat(frames.get(0).items().get(0).frame().path("d").path("reason").asText())
                .isEqualTo("cannot be added by you: cat");
        group.apply(create("ann", List.of("ben")));
        assertThat(group.apply(join("ann", List.of("cat")))).isNull();
        assertThat(store.rows.get("crew")).containsOnlyKeys("ann", "ben");

        Handlers friendsOnly = new GroupFunction(store, new Membership(10_000), deliveries, forgotten::add, graph,
                true, creates).handlers();
        graph.befriend("ann", "dan");
        assertThat(friendsOnly.apply(join("ann", List.of("dan")))).isNotNull();
        assertThat(store.rows.get("crew")).containsOnlyKeys("ann", "ben", "dan");
        frames.clear();
        assertThat(friendsOnly.apply(join("ann", List.of("cat")))).as("a blocker is not even invited").isNull();
        assertThat(store.invited("crew", "cat")).isFalse();
    }

    @Test
    void anInviteeIsToldOnlyOnceTheGroupIsStoredSoThatJoiningAtOnceFindsIt() {
        List<Boolean> storedWhenTold = new ArrayList<>();
        Deliveries watching = (users, except, frame, once, addressed) -> {
            if (frame != null && frame.path("t").asText().equals("invitation")) {
                storedWhenTold.add(store.load("crew").isPresent());
            }
            return deliveries.toUsers(users, except, frame, once, addressed);
        };
        Handlers friendsOnly = new GroupFunction(store, new Membership(10_000), watching, forgotten::add, graph, true,
                creates).handlers();
        graph.befriend("ann", "ben");
        online.put(new DeviceRef("eve", "phone"), "n7");
        friendsOnly.apply(create("ann", List.of("ben", "eve")));
        assertThat(storedWhenTold).containsExactly(true);
        assertThat(Events.data(EventTypes.GROUP_MEMBER_CHANGED, friendsOnly.apply(join("eve", null))).change())
                .isEqualTo(GroupMemberChanged.Change.JOINED);
    }

    @Test
    void withFriendsOnlyTheOthersAreInvitedAndJoinByTakingItUpOrSayNoByLeaving() {
        Handlers friendsOnly = new GroupFunction(store, new Membership(10_000), deliveries, forgotten::add, graph,
                true, creates).handlers();
        graph.befriend("ann", "ben");
        online.put(new DeviceRef("eve", "phone"), "n7");
        GroupMemberChanged created = Events.data(EventTypes.GROUP_MEMBER_CHANGED,
                friendsOnly.apply(create("ann", List.of("ben", "eve", "fay"))));
        assertThat(created.members()).extracting(GroupMemberChanged.Member::userId).containsExactly("ann", "ben");
        assertThat(store.invited("crew", "eve")).isTrue();
        assertThat(store.invited("crew", "fay")).isTrue();
        assertThat(frames).as("eve is online, fay finds hers through sync").singleElement().satisfies(batch -> {
            assertThat(batch.nodeId()).isEqualTo("n7");
            assertThat(batch.items().get(0).targets()).containsExactly(new DeviceRef("eve", "phone"));
            assertThat(batch.items().get(0).frame().path("t").asText()).isEqualTo("invitation");
            assertThat(batch.items().get(0).frame().path("d").path("change").asText()).isEqualTo("invited");
            assertThat(batch.items().get(0).frame().path("d").path("groupId").asText()).isEqualTo("crew");
            assertThat(batch.items().get(0).frame().path("d").path("actor").asText()).isEqualTo("ann");
        });

        assertThat(friendsOnly.apply(join("zed", null))).as("no invitation, and the group is not open").isNull();
        assertThat(frames.get(frames.size() - 1).items().get(0).frame().path("d").path("code").asText()).isEqualTo("NOT_ALLOWED");
        GroupMemberChanged joined = Events.data(EventTypes.GROUP_MEMBER_CHANGED, friendsOnly.apply(join("eve", null)));
        assertThat(joined.change()).isEqualTo(GroupMemberChanged.Change.JOINED);
        assertThat(store.rows.get("crew")).containsOnlyKeys("ann", "ben", "eve");
        assertThat(store.invited("crew", "eve")).as("taken up").isFalse();

        online.put(new DeviceRef("fay", "laptop"), "n8");
        frames.clear();
        assertThat(friendsOnly.apply(Events.create(EventTypes.GROUP_LEAVE_REQUESTED, new GroupMembersRequested("crew", null),
                new Actor("fay", "phone", "n1"), URI.create("/parley/nodes/n1")))).isNull();
        assertThat(store.invited("crew", "fay")).as("declined").isFalse();
        assertThat(frames).singleElement().satisfies(batch -> assertThat(batch.items().get(0).frame().path("d")
                .path("change").asText()).as("her devices are told").isEqualTo("declined"));
        assertThat(store.rows.get("crew")).containsOnlyKeys("ann", "ben", "eve");
    }

    @Test
    void aUserCreatesAtMostTheDailyQuotaOfGroupsAndARedeliveredCreateIsNotCountedAgain() {
        CloudEvent first = create("g1", "ann", List.of());
        group.apply(first);
        group.apply(first);
        group.apply(create("g2", "ann", List.of()));
        group.apply(create("g3", "ann", List.of()));
        assertThat(frames).isEmpty();
        assertThat(group.apply(create("g4", "ann", List.of()))).isNull();
        assertThat(store.headers).containsKeys("g1", "g2", "g3").doesNotContainKey("g4");
        assertThat(frames).singleElement().satisfies(batch -> {
            assertThat(batch.items().get(0).frame().path("d").path("code").asText()).isEqualTo("LIMIT_EXCEEDED");
            assertThat(batch.items().get(0).frame().path("d").path("reason").asText()).contains("at most 3 new groups a day");
        });
        assertThat(group.apply(create("g5", "ben", List.of()))).as("another user's quota").isNotNull();
    }

    @Test
    void aRedeliveredRequestIsAnsweredWithTheSameChangeAndNotDecidedAgain() {
        CloudEvent create = create("ann", List.of("ben"));
        GroupMemberChanged first = Events.data(EventTypes.GROUP_MEMBER_CHANGED, group.apply(create));
        group.apply(join("ann", List.of("cat")));
        GroupMemberChanged again = Events.data(EventTypes.GROUP_MEMBER_CHANGED, group.apply(create));
        assertThat(again).isEqualTo(first);
        assertThat(frames).as("no 'group exists' error for a redelivery").isEmpty();
        assertThat(store.rows.get("crew")).containsOnlyKeys("ann", "ben", "cat");
    }

    @Test
    void aChangeRecordedWithoutItsHeaderIsDecidedAgainAndAppliedByTheRetry() {
        group.apply(create("ann", List.of("ben")));
        CloudEvent invite = join("ann", List.of("cat"));
        store.failAfterChange = true;
        try {
            group.apply(invite);
        } catch (IllegalStateException expected) {
            // the runtime retries the event
        }
        GroupMemberChanged change = Events.data(EventTypes.GROUP_MEMBER_CHANGED, group.apply(invite));
        assertThat(change.change()).isEqualTo(GroupMemberChanged.Change.INVITED);
        assertThat(change.version()).isEqualTo(2);
        assertThat(store.rows.get("crew")).containsKey("cat");
        assertThat(store.load("crew").orElseThrow().version()).isEqualTo(2);
    }

    @Test
    void aCrashBetweenRecordingAndApplyingIsFinishedByTheRetry() {
        group.apply(create("ann", List.of("ben")));
        CloudEvent invite = join("ann", List.of("cat"));
        store.failNextApply = true;
        try {
            group.apply(invite);
        } catch (IllegalStateException expected) {
            // the runtime retries the event
        }
        assertThat(store.rows.get("crew")).doesNotContainKey("cat");
        GroupMemberChanged change = Events.data(EventTypes.GROUP_MEMBER_CHANGED, group.apply(invite));
        assertThat(change.change()).isEqualTo(GroupMemberChanged.Change.INVITED);
        assertThat(change.version()).isEqualTo(2);
        assertThat(store.rows.get("crew")).containsKey("cat");
        assertThat(forgotten).as("forgotten only once the change is applied").containsExactly("g:crew", "g:crew");
    }

    @Test
    void aRefusedRequestIsAnErrorFrameToTheRequestingDeviceAndChangesNothing() {
        group.apply(create("ann", List.of("ben")));
        assertThat(group.apply(join("ben", List.of("cat")))).isNull();
        assertThat(frames).singleElement().satisfies(batch -> {
            assertThat(batch.nodeId()).isEqualTo("n1");
            assertThat(batch.items().get(0).targets()).containsExactly(new DeviceRef("ben", "phone"));
            assertThat(batch.items().get(0).frame().path("t").asText()).isEqualTo("error");
            assertThat(batch.items().get(0).frame().path("d").path("code").asText()).isEqualTo("NOT_ALLOWED");
            assertThat(batch.items().get(0).frame().path("d").path("groupId").asText()).isEqualTo("crew");
        });
        assertThat(store.rows.get("crew")).containsOnlyKeys("ann", "ben");
        assertThat(store.headers.get("crew").version()).isEqualTo(1);
        assertThat(forgotten).as("a refusal changes no right").containsExactly("g:crew");
    }
}
