package im.parley.fanout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import im.parley.delivery.InMemoryDeliveries;
import im.parley.eventing.Actor;
import im.parley.eventing.EventTypes;
import im.parley.eventing.Events;
import im.parley.eventing.InvalidEventException;
import im.parley.eventing.broker.InMemoryBrokerSink;
import im.parley.eventing.delivery.DeliveryBatch;
import im.parley.eventing.group.GroupMemberChanged;
import im.parley.eventing.message.ContentType;
import im.parley.eventing.message.DeviceRef;
import im.parley.eventing.message.Message;
import im.parley.eventing.message.MessagePersisted;
import im.parley.eventing.message.MessageRejected;
import im.parley.eventing.push.PushRequested;
import im.parley.functions.handlers.Handlers;
import im.parley.functions.handlers.TriggerTypes;
import im.parley.social.InMemorySocialGraph;
import io.cloudevents.CloudEvent;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class FanoutFunctionTest {

    static final DeviceRef ALICE_PHONE = new DeviceRef("alice", "phone");
    static final DeviceRef ALICE_LAPTOP = new DeviceRef("alice", "laptop");
    static final DeviceRef BOB_PHONE = new DeviceRef("bob", "phone");
    static final DeviceRef CAROL_PHONE = new DeviceRef("carol", "phone");

    final InMemoryDeliveries deliveries = new InMemoryDeliveries();
    final List<DeliveryBatch> sent = deliveries.sent;
    final Map<DeviceRef, String> online = deliveries.online;
    final InMemoryBrokerSink broker = new InMemoryBrokerSink();
    final InMemorySocialGraph graph = new InMemorySocialGraph();
    final Handlers fanout = new FanoutFunction(
            conversation -> conversation.equals("g:crew") ? List.of("alice", "bob", "carol") : List.of("alice", "bob"),
            deliveries, broker, graph).handlers();

    @Test
    void itHandlesItsTriggersTypeAndWhatPersistHandsOnInTheComposition() {
        java.util.Set<String> expected = new java.util.HashSet<>(TriggerTypes.of("fanout"));
        expected.addAll(List.of(EventTypes.MESSAGE_PERSISTED.type(), EventTypes.MESSAGE_REJECTED.type()));
        assertThat(fanout.types()).containsExactlyInAnyOrderElementsOf(expected);
    }

    {
        online.putAll(Map.of(ALICE_PHONE, "n1", ALICE_LAPTOP, "n2", BOB_PHONE, "n2", CAROL_PHONE, "n3"));
    }

    static CloudEvent persisted(String conversation) {
        return persisted(conversation, false);
    }

    static CloudEvent persisted(String conversation, boolean duplicate) {
        Message m = new Message(conversation, "c1", 7, ALICE_PHONE, ContentType.TEXT, "hi", Instant.parse("2026-11-24T00:00:00Z"));
        return Events.create(EventTypes.MESSAGE_PERSISTED, new MessagePersisted(m, Instant.parse("2026-11-24T00:00:01Z"), duplicate),
                new Actor("alice", "phone", "n1"), URI.create("/parley/functions/persist"));
    }

    /** The one batch a node got. */
    static DeliveryBatch batchFor(List<DeliveryBatch> batches, String node) {
        List<DeliveryBatch> to = batches.stream().filter(b -> b.nodeId().equals(node)).toList();
        assertThat(to).as("batches to " + node).hasSize(1);
        return to.get(0);
    }

    @Test
    void aDirectMessageReachesThePeerAndTheSendersOtherDevicesOneBatchPerNodeAndTheSenderIsAcked() {
        assertThat(fanout.apply(persisted("d:alice:bob"))).isNull();
        assertThat(sent).extracting(DeliveryBatch::nodeId).containsExactlyInAnyOrder("n1", "n2");

        DeliveryBatch n2 = batchFor(sent, "n2");
        assertThat(n2.items()).hasSize(1);
        assertThat(n2.items().get(0).targets()).containsExactlyInAnyOrder(ALICE_LAPTOP, BOB_PHONE);
        assertThat(n2.items().get(0).frame().path("t").asText()).isEqualTo("msg");
        assertThat(n2.items().get(0).frame().path("d").path("serverSeq").asLong()).isEqualTo(7);

        DeliveryBatch n1 = batchFor(sent, "n1");
        assertThat(n1.items()).hasSize(1);
        assertThat(n1.items().get(0).targets()).containsExactly(ALICE_PHONE);
        assertThat(n1.items().get(0).frame().path("t").asText()).isEqualTo("ack");
        assertThat(n1.items().get(0).frame().path("d").path("clientMsgId").asText()).isEqualTo("c1");
        assertThat(n1.items().get(0).frame().path("d").path("serverSeq").asLong()).isEqualTo(7);
    }

    @Test
    void aGroupMessageGoesToEveryOnlineMemberAndOfflineOnesAreSkipped() {
        online.remove(BOB_PHONE);
        fanout.apply(persisted("g:crew"));
        assertThat(sent).extracting(DeliveryBatch::nodeId).containsExactlyInAnyOrder("n1", "n2", "n3");
        assertThat(batchFor(sent, "n3").items().get(0).targets()).containsExactly(CAROL_PHONE);
        assertThat(batchFor(sent, "n2").items().get(0).targets()).containsExactly(ALICE_LAPTOP);
    }

    @Test
    void aGroupMessageSkipsTheMembersWhoBlockedItsSenderAndDoesNotPushThem() {
        graph.block("carol", "alice");
        graph.block("alice", "bob"); // the other way round: bob still gets alice's group messages
        online.remove(CAROL_PHONE);
        fanout.apply(persisted("g:crew"));
        assertThat(sent).extracting(DeliveryBatch::nodeId).containsExactlyInAnyOrder("n1", "n2");
        assertThat(batchFor(sent, "n2").items().get(0).targets()).containsExactlyInAnyOrder(ALICE_LAPTOP, BOB_PHONE);
        assertThat(broker.events()).as("no push to a blocker either").isEmpty();
    }

    @Test
    void aRetriedMessageIsOnlyAckedAgainOnceItWasDelivered() {
        fanout.apply(persisted("d:alice:bob", false));
        sent.clear();
        fanout.apply(persisted("d:alice:bob", true));
        assertThat(sent).singleElement().satisfies(batch -> {
            assertThat(batch.nodeId()).isEqualTo("n1");
            assertThat(batch.items().get(0).frame().path("t").asText()).isEqualTo("ack");
        });
    }

    @Test
    void aRetryAfterADeliveryThatFailedDeliversAsTheFirstAttemptWouldHave() {
        deliveries.failNext = true;
        assertThatThrownBy(() -> fanout.apply(persisted("d:alice:bob", false))).hasMessageContaining("unavailable");
        fanout.apply(persisted("d:alice:bob", true));
        assertThat(sent).extracting(DeliveryBatch::nodeId).containsExactlyInAnyOrder("n1", "n2");
        assertThat(batchFor(sent, "n2").items().get(0).frame().path("t").asText()).isEqualTo("msg");
    }

    @Test
    void aRejectedMessageIsAnErrorFrameToTheSendingDeviceOnly() {
        CloudEvent rejected = Events.create(EventTypes.MESSAGE_REJECTED, new MessageRejected("d:alice:bob", "c1", ALICE_PHONE,
                MessageRejected.Reason.BLOCKED, null), new Actor("alice", "phone", "n1"), URI.create("/parley/functions/sequence"));
        fanout.apply(rejected);
        assertThat(sent).hasSize(1);
        assertThat(sent.get(0).nodeId()).isEqualTo("n1");
        assertThat(sent.get(0).items().get(0).targets()).containsExactly(ALICE_PHONE);
        assertThat(sent.get(0).items().get(0).frame().path("t").asText()).isEqualTo("error");
        assertThat(sent.get(0).items().get(0).frame().path("d").path("code").asText()).isEqualTo("blocked");
        assertThat(sent.get(0).items().get(0).frame().path("d").path("clientMsgId").asText()).isEqualTo("c1");
    }

    @Test
    void anEventTypeFanoutDoesNotHandleIsRefused() {
        CloudEvent other = Events.create(EventTypes.MESSAGE_SENT, new im.parley.eventing.message.MessageSent("d:alice:bob", "c1",
                ContentType.TEXT, "hi"), new Actor("alice", "phone", "n1"), URI.create("/x"));
        assertThatThrownBy(() -> fanout.apply(other)).isInstanceOf(InvalidEventException.class);
    }

    @Test
    void membersWithNoOnlineDeviceAreSentToTheDefaultBrokerAsOnePushRequest() {
        online.remove(BOB_PHONE);
        online.remove(CAROL_PHONE);
        online.remove(ALICE_LAPTOP);
        assertThat(fanout.apply(persisted("g:crew"))).as("no reply: it would land on the message path's broker").isNull();
        assertThat(broker.events()).hasSize(1);
        CloudEvent reply = broker.events().get(0);
        assertThat(reply.getType()).isEqualTo(EventTypes.PUSH_REQUESTED.type());
        assertThat(EventTypes.PUSH_REQUESTED.broker()).isEqualTo("default");
        assertThat(Events.partitionKey(reply)).isEqualTo("g:crew");
        PushRequested push = Events.data(EventTypes.PUSH_REQUESTED, reply);
        assertThat(push.userIds()).as("never the sender, even with no other device online").containsExactly("bob", "carol");
        assertThat(push.serverSeq()).isEqualTo(7);
        assertThat(push.sender()).isEqualTo("alice");
        assertThat(push.preview()).isEqualTo("hi");
        online.put(BOB_PHONE, "n2");
        assertThat(fanout.apply(persisted("d:alice:bob"))).isNull();
        assertThat(broker.events()).as("everyone online: no push").hasSize(1);
    }

    @Test
    void anEditReachesTheOnlineMembersAsAMessageReferringToTheOriginalAndIsNeverPushed() {
        online.remove(CAROL_PHONE);
        Message edit = new Message("g:crew", "e1", 8, ALICE_PHONE, ContentType.EDIT, "hi, fixed",
                Instant.parse("2026-11-24T00:01:00Z"), 7L, null, null);
        fanout.apply(Events.create(EventTypes.MESSAGE_PERSISTED, new MessagePersisted(edit, Instant.parse("2026-11-24T00:01:01Z"),
                false), new Actor("alice", "phone", "n1"), URI.create("/parley/functions/persist")));
        var frame = batchFor(sent, "n2").items().stream().map(DeliveryBatch.Item::frame)
                .filter(f -> f.path("t").asText().equals("msg")).findFirst().orElseThrow();
        assertThat(frame.path("d").path("contentType").asText()).isEqualTo("edit");
        assertThat(frame.path("d").path("refersTo").asLong()).isEqualTo(7);
        assertThat(frame.path("d").path("content").asText()).isEqualTo("hi, fixed");
        assertThat(frame.path("d").has("recalled")).isFalse();
        assertThat(broker.events()).as("carol is offline, and learns of it on catch-up").isEmpty();
    }

    @Test
    void aPushRequestTheBrokerDoesNotTakeFailsTheAttemptSoThatTheRetrySendsIt() throws InterruptedException {
        online.remove(BOB_PHONE);
        broker.autoComplete = false;
        CompletableFuture<Object> attempt = CompletableFuture.supplyAsync(() -> fanout.apply(persisted("d:alice:bob")));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (broker.events().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        broker.published.get(0).done().completeExceptionally(new IllegalStateException("broker ingress answered 503"));
        assertThatThrownBy(attempt::join).hasMessageContaining("im.parley.push.requested not taken by the default broker").hasMessageContaining("503");

        broker.autoComplete = true;
        fanout.apply(persisted("d:alice:bob", true));
        assertThat(broker.events()).hasSize(2);
        assertThat(Events.data(EventTypes.PUSH_REQUESTED, broker.events().get(1)).userIds()).containsExactly("bob");
    }

    @Test
    void aMembershipChangeIsAGroupFrameToTheMembersAndToWhoeverWasRemoved() {
        GroupMemberChanged removed = new GroupMemberChanged("crew", GroupMemberChanged.Change.REMOVED, "alice",
                List.of(new GroupMemberChanged.Member("dave", GroupMemberChanged.Role.MEMBER)), 3, 4);
        DeviceRef davePhone = new DeviceRef("dave", "phone");
        online.put(davePhone, "n3");
        assertThat(fanout.apply(Events.create(EventTypes.GROUP_MEMBER_CHANGED, removed, new Actor("alice", "phone", "n1"),
                URI.create("/parley/functions/group")))).isNull();
        assertThat(sent.stream().flatMap(b -> b.items().stream()).flatMap(i -> i.targets().stream()))
                .containsExactlyInAnyOrder(ALICE_PHONE, ALICE_LAPTOP, BOB_PHONE, CAROL_PHONE, davePhone);
        assertThat(batchFor(sent, "n3").items().get(0).frame().path("t").asText()).isEqualTo("group");
        assertThat(batchFor(sent, "n3").items().get(0).frame().path("d").path("change").asText()).isEqualTo("removed");
        assertThat(batchFor(sent, "n3").items().get(0).frame().path("d").path("members").get(0).path("userId").asText())
                .isEqualTo("dave");
    }

    @Test
    void aLargeMemberListIsLeftOutOfTheGroupFrame() {
        List<GroupMemberChanged.Member> many = new ArrayList<>();
        for (int i = 0; i <= FanoutFunction.LISTED_MEMBERS; i++) {
            many.add(new GroupMemberChanged.Member("m" + i, GroupMemberChanged.Role.MEMBER));
        }
        fanout.apply(Events.create(EventTypes.GROUP_MEMBER_CHANGED, new GroupMemberChanged("crew",
                GroupMemberChanged.Change.CREATED, "alice", many, many.size(), 1), new Actor("alice", "phone", "n1"),
                URI.create("/parley/functions/group")));
        assertThat(batchFor(sent, "n1").items().get(0).frame().path("d").has("members")).isFalse();
        assertThat(batchFor(sent, "n1").items().get(0).frame().path("d").path("memberCount").asInt()).isEqualTo(many.size());
    }
}
