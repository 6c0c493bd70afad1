package im.parley.amend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import im.parley.delivery.InMemoryDeliveries;
import im.parley.eventing.Actor;
import im.parley.eventing.EventJson;
import im.parley.eventing.EventTypes;
import im.parley.eventing.Events;
import im.parley.eventing.broker.InMemoryBrokerSink;
import im.parley.eventing.catalog.CatalogEntry;
import im.parley.eventing.catalog.EventCatalog;
import im.parley.eventing.group.GroupMemberChanged.Role;
import im.parley.eventing.message.ContentType;
import im.parley.eventing.message.DeviceRef;
import im.parley.eventing.message.Message;
import im.parley.eventing.message.MessageAmended;
import im.parley.functions.handlers.Handlers;
import im.parley.functions.handlers.TriggerTypes;
import im.parley.membership.InMemoryGroups;
import im.parley.messages.InMemoryMessages;
import io.cloudevents.CloudEvent;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AmendFunctionTest {

    static final Instant NOW = Instant.parse("2026-12-05T12:00:00Z");
    static final String CHAT = "d:alice:bob";

    final InMemoryMessages messages = new InMemoryMessages();
    final InMemoryGroups groups = new InMemoryGroups();
    final InMemoryDeliveries deliveries = new InMemoryDeliveries();
    final InMemoryBrokerSink broker = new InMemoryBrokerSink();
    final Handlers function = new AmendFunction(messages, groups, deliveries, broker,
            new AmendFunction.Settings(Duration.ofMinutes(15), Duration.ofHours(2)), Clock.fixed(NOW, ZoneOffset.UTC)).handlers();

    @BeforeEach
    void messages() {
        deliveries.online.put(new DeviceRef("alice", "phone"), "n1");
        groups.create("crew", List.of("olga", "alice", "bob"));
        groups.setRole("crew", "bob", Role.ADMIN);
        put(CHAT, 1, "alice", ContentType.TEXT, NOW.minusSeconds(60));
        put(CHAT, 2, "alice", ContentType.TEXT, NOW.minus(Duration.ofMinutes(20)));
        put(CHAT, 3, "alice", ContentType.IMAGE, NOW.minusSeconds(60));
        put(CHAT, 4, "alice", ContentType.TEXT, NOW.minus(Duration.ofHours(3)));
        put("g:crew", 1, "alice", ContentType.TEXT, NOW.minus(Duration.ofDays(3)));
    }

    void put(String conversation, long seq, String sender, ContentType type, Instant at) {
        messages.put(new Message(conversation, "c" + seq, seq, new DeviceRef(sender, "phone"), type, "m" + seq, at));
    }

    static CloudEvent event(String type, Object data, String user) {
        CatalogEntry entry = EventCatalog.shared().entry(type).orElseThrow();
        return Events.create(entry, EventJson.MAPPER.valueToTree(data), new Actor(user, "phone", "n1"), URI.create("/parley/nodes/n1"));
    }

    static CloudEvent edit(long seq, String user) {
        return event("im.parley.message.edit.requested", new EditRequested(CHAT, "e" + seq, seq, "fixed"), user);
    }

    static CloudEvent recall(String conversation, long seq, String user) {
        return event("im.parley.message.recall.requested", new RecallRequested(conversation, "r" + seq, seq), user);
    }

    /** The one amendment sent to the message broker, with the asker as its actor. */
    MessageAmended emitted() {
        assertThat(broker.events()).hasSize(1);
        CloudEvent event = broker.events().get(0);
        assertThat(event.getType()).isEqualTo(EventTypes.MESSAGE_AMENDED.type());
        assertThat(Events.partitionKey(event)).as("in its conversation's order").isIn(CHAT, "g:crew");
        return Events.data(EventTypes.MESSAGE_AMENDED, event);
    }

    /** The error code the asking device got, and nothing sent on. */
    String refusal() {
        assertThat(broker.events()).isEmpty();
        assertThat(deliveries.sent).singleElement().satisfies(b -> assertThat(b.items().get(0).targets())
                .containsExactly(new DeviceRef("alice", "phone")));
        var frame = deliveries.sent.get(0).items().get(0).frame();
        assertThat(frame.path("t").asText()).isEqualTo("error");
        return frame.path("d").path("code").asText();
    }

    @Test
    void itHandlesExactlyItsTriggersTypes() {
        assertThat(function.types()).containsExactlyInAnyOrderElementsOf(TriggerTypes.of("amend"));
    }

    @Test
    void theSenderEditsItsTextMessageWithinTheWindow() {
        assertThat(function.apply(edit(1, "alice"))).isNull();
        assertThat(emitted()).isEqualTo(new MessageAmended(CHAT, "e1", 1, MessageAmended.Kind.EDIT, "fixed"));
        assertThat(Actor.require(broker.events().get(0)).userId()).isEqualTo("alice");
        assertThat(deliveries.sent).isEmpty();
    }

    @Test
    void anEditOutsideTheWindowOfAnotherOrOfNoTextIsRefused() {
        function.apply(edit(2, "alice"));
        assertThat(refusal()).isEqualTo("window-passed");
        deliveries.sent.clear();
        function.apply(edit(3, "alice"));
        assertThat(refusal()).isEqualTo("invalid");
        deliveries.sent.clear();
        function.apply(edit(9, "alice"));
        assertThat(refusal()).isEqualTo("message-unknown");
        deliveries.sent.clear();
        deliveries.online.put(new DeviceRef("bob", "phone"), "n1");
        function.apply(edit(1, "bob"));
        assertThat(deliveries.sent.get(0).items().get(0).frame().path("d").path("code").asText()).isEqualTo("not-allowed");
        assertThat(broker.events()).isEmpty();
    }

    @Test
    void theSenderRecallsWithinTheRecallWindowButNotAfter() {
        function.apply(recall(CHAT, 2, "alice"));
        assertThat(emitted().kind()).isEqualTo(MessageAmended.Kind.RECALL);
        assertThat(emitted().content()).isNull();
        broker.clear();
        function.apply(recall(CHAT, 4, "alice"));
        assertThat(refusal()).isEqualTo("window-passed");
    }

    @Test
    void aGroupAdminRecallsAnyMessageOfTheGroupAtAnyTimeAndAMemberOnlyItsOwn() {
        function.apply(recall("g:crew", 1, "bob"));
        assertThat(emitted()).isEqualTo(new MessageAmended("g:crew", "r1", 1, MessageAmended.Kind.RECALL, null));
        broker.clear();
        function.apply(recall("g:crew", 1, "alice"));
        assertThat(refusal()).as("her own, but past the window").isEqualTo("window-passed");
        deliveries.sent.clear();
        deliveries.online.put(new DeviceRef("zed", "phone"), "n1");
        function.apply(recall("g:crew", 1, "zed"));
        assertThat(deliveries.sent.get(0).items().get(0).frame().path("d").path("code").asText()).isEqualTo("not-member");
    }

    @Test
    void aRecalledMessageOrAnAmendmentCannotBeAmended() {
        messages.put(new Message(CHAT, "c5", 5, new DeviceRef("alice", "phone"), ContentType.TEXT, "", NOW, null, null, true));
        messages.put(new Message(CHAT, "e6", 6, new DeviceRef("alice", "phone"), ContentType.EDIT, "x", NOW, 1L, null, null));
        function.apply(edit(5, "alice"));
        assertThat(refusal()).isEqualTo("recalled");
        deliveries.sent.clear();
        function.apply(recall(CHAT, 6, "alice"));
        assertThat(refusal()).isEqualTo("invalid");
    }

    @Test
    void anAmendmentTheBrokerDoesNotTakeFailsTheAttemptSoThatItIsRetried() throws InterruptedException {
        broker.autoComplete = false;
        CompletableFuture<Object> attempt = CompletableFuture.supplyAsync(() -> function.apply(edit(1, "alice")));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (broker.events().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        broker.published.get(0).done().completeExceptionally(new IllegalStateException("broker ingress answered 503"));
        assertThatThrownBy(attempt::join).hasMessageContaining("im.parley.message.amended not taken by the messages broker").hasMessageContaining("503");
    }
}
