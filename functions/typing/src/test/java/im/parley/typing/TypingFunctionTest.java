package im.parley.typing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import im.parley.delivery.InMemoryDeliveries;
import im.parley.eventing.Actor;
import im.parley.eventing.EventJson;
import im.parley.eventing.Events;
import im.parley.eventing.catalog.CatalogEntry;
import im.parley.eventing.catalog.EventCatalog;
import im.parley.eventing.delivery.DeliveryBatch;
import im.parley.eventing.message.DeviceRef;
import im.parley.functions.handlers.Handlers;
import im.parley.functions.handlers.TriggerTypes;
import im.parley.social.InMemorySocialGraph;
import im.parley.typing.TypingSent.State;
import io.cloudevents.CloudEvent;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TypingFunctionTest {

    static final TypingFunction.Settings SETTINGS = new TypingFunction.Settings(Duration.ofSeconds(6),
            Duration.ofSeconds(2), 3, true);

    final InMemoryDeliveries deliveries = new InMemoryDeliveries();
    final InMemorySocialGraph graph = new InMemorySocialGraph();
    final Map<String, List<String>> groups = Map.of("g:team", List.of("alice", "bob", "carol"),
            "g:crowd", List.of("alice", "bob", "carol", "dan"));

    {
        for (String user : List.of("alice", "bob", "carol", "dan")) {
            deliveries.online.put(new DeviceRef(user, "phone"), "n1");
        }
        deliveries.online.put(new DeviceRef("alice", "laptop"), "n2");
        graph.befriend("alice", "bob");
    }

    Handlers function(TypingFunction.Settings settings, Clock clock) {
        return new TypingFunction(groups::get, graph, new InMemoryThrottle(clock), deliveries, settings, clock).handlers();
    }

    Handlers function() {
        return function(SETTINGS, Clock.systemUTC());
    }

    static CloudEvent typing(String user, String conversation, State state) {
        CatalogEntry type = EventCatalog.shared().entry("im.parley.typing.sent").orElseThrow();
        return Events.create(type, EventJson.MAPPER.valueToTree(new TypingSent(conversation, state)),
                new Actor(user, "phone", "n1"), URI.create("/parley/nodes/n1"));
    }

    /** Who got a typing frame, as user/device, and the frames' data. */
    List<String> told() {
        List<String> told = new ArrayList<>();
        for (DeliveryBatch batch : deliveries.sent) {
            for (var item : batch.items()) {
                assertThat(item.frame().path("t").asText()).isEqualTo("typing");
                item.targets().forEach(d -> told.add(d.userId() + "/" + d.deviceId()));
            }
        }
        return told;
    }

    JsonNode lastFrame() {
        return deliveries.sent.get(deliveries.sent.size() - 1).items().get(0).frame();
    }

    @Test
    void itHandlesExactlyItsTriggersTypes() {
        assertThat(function().types()).containsExactlyInAnyOrderElementsOf(TriggerTypes.of("typing"));
    }

    @Test
    void aFriendIsToldWithTheExpiryButNotTheSendersOwnDevices() {
        assertThat(function().apply(typing("alice", "d:alice:bob", State.started))).isNull();
        assertThat(told()).containsExactly("bob/phone");
        JsonNode d = lastFrame().path("d");
        assertThat(d.path("conversationId").asText()).isEqualTo("d:alice:bob");
        assertThat(d.path("userId").asText()).isEqualTo("alice");
        assertThat(d.path("state").asText()).isEqualTo("started");
        assertThat(d.path("expiresInMs").asLong()).isEqualTo(6000);
    }

    @Test
    void repeatsWithinTheIntervalAreDroppedButAStopIsNot() {
        Handlers function = function();
        function.apply(typing("alice", "d:alice:bob", State.started));
        function.apply(typing("alice", "d:alice:bob", State.started));
        function.apply(typing("alice", "d:alice:bob", State.stopped));
        assertThat(told()).containsExactly("bob/phone", "bob/phone");
        assertThat(lastFrame().path("d").path("state").asText()).isEqualTo("stopped");
    }

    @Test
    void anIndicatorOlderThanItsExpiryIsDropped() {
        function(SETTINGS, Clock.offset(Clock.systemUTC(), Duration.ofSeconds(7)))
                .apply(typing("alice", "d:alice:bob", State.started));
        assertThat(told()).isEmpty();
    }

    @Test
    void blocksEitherWayAndStrangersAreNeverTold() {
        graph.block("bob", "carol");
        function().apply(typing("carol", "d:bob:carol", State.started));
        function().apply(typing("bob", "d:bob:carol", State.started));
        assertThat(told()).as("blocked").isEmpty();
        function().apply(typing("alice", "d:alice:carol", State.started));
        assertThat(told()).as("not friends").isEmpty();
        function().apply(typing("mallory", "d:alice:bob", State.started));
        assertThat(told()).as("not in the conversation").isEmpty();

        function(new TypingFunction.Settings(Duration.ofSeconds(6), Duration.ofSeconds(2), 3, false), Clock.systemUTC())
                .apply(typing("alice", "d:alice:carol", State.started));
        assertThat(told()).as("when 1:1 chats need no friendship").containsExactly("carol/phone");
    }

    @Test
    void aGroupsOtherMembersAreToldLessBlocksAndLargeGroupsAndOutsidersNever() {
        graph.block("carol", "alice");
        function().apply(typing("alice", "g:team", State.started));
        assertThat(told()).containsExactly("bob/phone");

        deliveries.sent.clear();
        graph.block("bob", "dan");
        function().apply(typing("bob", "g:team", State.started));
        assertThat(told()).containsExactlyInAnyOrder("alice/phone", "alice/laptop", "carol/phone");

        deliveries.sent.clear();
        function().apply(typing("alice", "g:crowd", State.started));
        assertThat(told()).as("above the group limit").isEmpty();
        function().apply(typing("dan", "g:team", State.started));
        assertThat(told()).as("not a member").isEmpty();
    }
}
