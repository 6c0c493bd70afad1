package im.parley.eventing.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import im.parley.eventing.Actor;
import im.parley.eventing.EventJson;
import im.parley.eventing.EventType;
import im.parley.eventing.EventTypes;
import im.parley.eventing.Examples;
import im.parley.eventing.PartitionKeys;
import java.nio.file.Files;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class EventCatalogTest {

    private final EventCatalog catalog = EventCatalog.load();

    @Test
    void coversTheWholeMission() {
        Set<String> types = catalog.types().stream().map(CatalogEntry::type).collect(Collectors.toSet());
        assertThat(types).contains(
                "im.parley.message.sent", "im.parley.message.sequenced", "im.parley.message.persisted",
                "im.parley.message.rejected", "im.parley.delivery.batch",
                "im.parley.receipt.delivered", "im.parley.receipt.read",
                "im.parley.sync.requested", "im.parley.sync.responded",
                "im.parley.group.create.requested", "im.parley.group.join.requested",
                "im.parley.group.leave.requested", "im.parley.group.member.changed",
                "im.parley.friend.requested", "im.parley.friend.accepted", "im.parley.friend.declined",
                "im.parley.friend.cancelled", "im.parley.friend.removed", "im.parley.friend.blocked",
                "im.parley.friend.unblocked",
                "im.parley.push.requested", "im.parley.push.reported",
                "im.parley.connection.opened", "im.parley.connection.closed");
        assertThat(catalog.types()).extracting(CatalogEntry::type).doesNotHaveDuplicates();
    }

    @Test
    void everyTypeHasASchemaAProducerAConsumerAndExamplesBothWays() {
        Map<String, Long> valid = Examples.all().stream().filter(Examples::valid)
                .collect(Collectors.groupingBy(Examples::shortName, Collectors.counting()));
        Map<String, Long> invalid = Examples.all().stream().filter(e -> !e.valid())
                .collect(Collectors.groupingBy(Examples::shortName, Collectors.counting()));
        for (CatalogEntry entry : catalog.types()) {
            String shortName = entry.type().substring(EventType.PREFIX.length());
            assertThat(entry.schema()).as(entry.type()).isEqualTo(shortName + ".schema.json");
            assertThat(Files.exists(Examples.ROOT.resolve(entry.schema()))).as("schema of " + entry.type()).isTrue();
            assertThat(getClass().getClassLoader().getResource("cloudevents/" + entry.schema()))
                    .as("packaged schema of " + entry.type()).isNotNull();
            assertThat(entry.producers()).as("producers of " + entry.type()).isNotEmpty();
            if (!entry.channel().equals("broker")) {
                // Broker types may be facts for observability that operators subscribe to with their own Triggers.
                assertThat(entry.consumers()).as("consumers of " + entry.type()).isNotEmpty();
            }
            assertThat(entry.description()).as("description of " + entry.type()).isNotBlank();
            assertThat(valid.getOrDefault(shortName, 0L)).as("valid examples of " + entry.type()).isPositive();
            assertThat(invalid.getOrDefault(shortName, 0L)).as("invalid examples of " + entry.type()).isPositive();
        }
    }

    @Test
    void everyTypedTypeMatchesItsCatalogEntry() {
        Map<String, CatalogEntry> byType = catalog.types().stream()
                .collect(Collectors.toMap(CatalogEntry::type, Function.identity()));
        // The core's types are typed; a product team's type may be the catalog's alone (the tier and the brokers
        // carry it from its entry), so the catalog may hold more.
        assertThat(byType.keySet()).containsAll(EventTypes.all().stream().map(EventType::type).toList());
        for (EventType<?> type : EventTypes.all()) {
            CatalogEntry entry = byType.get(type.type());
            assertThat(entry.partitionKey().toUpperCase(Locale.ROOT)).as(type.type()).isEqualTo(type.keyKind().name());
            assertThat(entry.channel().toUpperCase(Locale.ROOT)).as(type.type()).isEqualTo(type.channel().name());
            assertThat(entry.broker()).as("broker of " + type.type()).isEqualTo(type.broker());
            assertThat(entry.schema()).isEqualTo(type.schemaFile());
        }
    }

    @Test
    void everyBrokerTypeNamesADeclaredBrokerAndTheMessagePathHasItsOwn() {
        Set<String> brokers = catalog.brokers().stream().map(EventCatalog.Broker::name).collect(Collectors.toSet());
        assertThat(brokers).containsExactlyInAnyOrder(EventType.MESSAGES_BROKER, EventType.DEFAULT_BROKER);
        for (CatalogEntry entry : catalog.types()) {
            if (entry.channel().equals("broker")) {
                assertThat(brokers).as("broker of " + entry.type()).contains(entry.broker());
                assertThat(entry.ordered()).as("whether " + entry.type() + " is delivered in order").isNotNull();
            } else {
                assertThat(entry.broker()).as(entry.type() + " is not on a broker").isNull();
                assertThat(entry.ordered()).as(entry.type() + " has no Trigger to order").isNull();
            }
        }
        assertThat(EventTypes.MESSAGE_SENT.broker()).isEqualTo(EventType.MESSAGES_BROKER);
        // Every Trigger reads its broker's whole topic: the message broker carries messages and their amendments, both
        // for its one consumer, so that a conversation's messages and amendments are sequenced in one order.
        assertThat(catalog.types().stream().filter(e -> EventType.MESSAGES_BROKER.equals(e.broker())).map(CatalogEntry::type))
                .as("the message broker carries only messages sent and amended")
                .containsExactlyInAnyOrder(EventTypes.MESSAGE_SENT.type(), EventTypes.MESSAGE_AMENDED.type());
        assertThat(catalog.types().stream().filter(e -> EventType.MESSAGES_BROKER.equals(e.broker())))
                .allSatisfy(e -> assertThat(e.consumers()).as(e.type()).containsExactly("messaging"));
    }

    @Test
    void framesAreUniqueAndOnlyOnBrokerTypesClientsSend() {
        Map<String, CatalogEntry> frames = catalog.frames();
        // The core's 19, and any a product team's function added.
        assertThat(frames).hasSizeGreaterThanOrEqualTo(19);
        for (CatalogEntry entry : frames.values()) {
            assertThat(entry.channel()).as(entry.type()).isEqualTo("broker");
            assertThat(entry.producers()).as(entry.type()).contains("connection-tier");
            assertThat(entry.partitionKey()).as(entry.type()).isIn("conversation", "user", "friendship");
        }
    }

    /**
     * A product function's frame: its own schema file, whose t is its name, never a name the core protocol's
     * frames.schema.json defines, and sent by a function that produces delivery batches.
     */
    @Test
    void downstreamFramesHaveASchemaOfTheirOwnAndAProducerThatDelivers() throws java.io.IOException {
        JsonNode core = EventJson.MAPPER.readTree(Examples.ROOT.resolve("frames.schema.json").toFile());
        List<String> producers = catalog.entry("im.parley.delivery.batch").orElseThrow().producers();
        assertThat(catalog.downstreamFrames()).extracting(EventCatalog.DownstreamFrame::name).doesNotHaveDuplicates();
        for (EventCatalog.DownstreamFrame frame : catalog.downstreamFrames()) {
            assertThat(frame.schema()).as(frame.name()).isEqualTo(frame.name() + ".frame.schema.json");
            assertThat(getClass().getClassLoader().getResource("cloudevents/" + frame.schema()))
                    .as("packaged schema of the " + frame.name() + " frame").isNotNull();
            JsonNode schema = EventJson.MAPPER.readTree(Examples.ROOT.resolve(frame.schema()).toFile());
            assertThat(schema.path("$id").asText()).isEqualTo(EventType.SCHEMA_BASE + frame.schema());
            assertThat(schema.path("properties").path("t").path("const").asText()).as(frame.schema())
                    .isEqualTo(frame.name());
            assertThat(core.path("$defs").has(frame.name()))
                    .as(frame.name() + " is defined in frames.schema.json too").isFalse();
            assertThat(producers).as("delivery.batch's producers").contains(frame.producer());
            assertThat(frame.description()).as(frame.name()).isNotBlank();
        }
    }

    /** Typing and the like: never stored nor sequenced, so nothing orders them and the message path never sees them. */
    @Test
    void ephemeralTypesAreUnorderedBrokerTypesOffTheMessagePath() {
        for (CatalogEntry entry : catalog.types()) {
            if (entry.isEphemeral()) {
                assertThat(entry.channel()).as(entry.type()).isEqualTo("broker");
                assertThat(entry.ordered()).as(entry.type() + " is ordered").isFalse();
                assertThat(entry.broker()).as(entry.type()).isNotEqualTo(EventType.MESSAGES_BROKER);
                assertThat(entry.consumers()).as(entry.type()).doesNotContainAnyElementsOf(
                        List.of("messaging", "sequence", "persist", "fanout"));
            }
        }
    }

    /** The tier keys a client's event by the catalog's rule; on every valid example it agrees with the typed rule. */
    @Test
    void theCatalogsKeyRuleGivesTheTypedKeyOnEveryExample() {
        int checked = 0;
        for (CatalogEntry entry : catalog.frames().values()) {
            // A product team's type may have no Java class: its examples are held to the catalog's rule alone.
            EventType<?> typed = EventTypes.byType(entry.type()).orElse(null);
            for (Examples example : Examples.all()) {
                if (!example.valid() || !(EventType.PREFIX + example.shortName()).equals(entry.type())) {
                    continue;
                }
                JsonNode json = example.json();
                Actor actor = new Actor(json.path(Actor.USER).asText(), json.path(Actor.DEVICE).asText(),
                        json.path(Actor.NODE).asText());
                String key = PartitionKeys.of(entry.partitionKey(), json.get("data"), actor);
                assertThat(key).as(example.toString()).isEqualTo(json.path(PartitionKeys.EXTENSION).asText());
                if (typed != null) {
                    assertThat(key).as(example.toString()).isEqualTo(keyOf(typed, json.get("data"), actor));
                }
                checked++;
            }
        }
        assertThat(checked).isGreaterThanOrEqualTo(19);
    }

    private static <T> String keyOf(EventType<T> type, JsonNode data, Actor actor) {
        try {
            return type.partitionKey(EventJson.MAPPER.treeToValue(data, type.dataClass()), actor);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new AssertionError(type + ": a valid example does not read into " + type.dataClass().getSimpleName(), e);
        }
    }
}
