package im.parley.eventing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import im.parley.eventing.catalog.CatalogEntry;
import im.parley.eventing.catalog.EventCatalog;
import im.parley.eventing.message.ContentType;
import im.parley.eventing.message.ConversationIds;
import im.parley.eventing.message.DeviceRef;
import im.parley.eventing.message.Message;
import im.parley.eventing.message.MessageSent;
import im.parley.eventing.message.MessageSequenced;
import im.parley.eventing.schema.EventSchemas;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.jackson.JsonFormat;
import java.net.URI;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class TypedEventsTest {

    static Stream<Examples> validExamples() {
        return Examples.all().stream().filter(Examples::valid);
    }

    /** Parse each valid example into its record, rebuild it with the builder, and compare. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("validExamples")
    void everyValidExampleRoundTripsThroughItsTypedRecord(Examples example) {
        CloudEvent parsed = new JsonFormat().deserialize(example.bytes());
        EventType<?> type = EventTypes.byType(parsed.getType()).orElse(null);
        if (type != null) {
            rebuildAndCompare(type, parsed, example.json());
            return;
        }
        // A product team's type, known to the catalog alone: rebuilt from its entry, as the tier builds it.
        CatalogEntry entry = EventCatalog.shared().entry(parsed.getType()).orElseThrow();
        CloudEvent rebuilt = Events.create(entry, example.json().get("data"), Actor.of(parsed).orElseThrow(),
                parsed.getSource());
        assertThat(EventSchemas.violations(rebuilt)).isEmpty();
        assertThat(Events.partitionKey(rebuilt)).isEqualTo(example.json().get("partitionkey").asText());
        assertThat(EventSchemas.toStructuredJson(rebuilt).get("data")).isEqualTo(example.json().get("data"));
        assertThat(rebuilt.getDataSchema()).isEqualTo(entry.dataSchema());
    }

    private static <T> void rebuildAndCompare(EventType<T> type, CloudEvent parsed, JsonNode original) {
        T data = Events.data(type, parsed);
        CloudEvent rebuilt = Events.create(type, data, Actor.of(parsed).orElse(null), parsed.getSource());
        assertThat(EventSchemas.violations(rebuilt)).isEmpty();
        assertThat(Events.partitionKey(rebuilt)).as("derived partition key").isEqualTo(original.get("partitionkey").asText());
        assertThat(EventSchemas.toStructuredJson(rebuilt).get("data")).isEqualTo(original.get("data"));
        assertThat(rebuilt.getDataSchema()).isEqualTo(type.dataSchema());
    }

    @Test
    void aReplyKeepsTheActorAndTraceOfItsCause() {
        Actor alice = new Actor("alice", "phone", "node-7");
        CloudEvent sent = CloudEventBuilder.v1(Events.create(EventTypes.MESSAGE_SENT,
                        new MessageSent(ConversationIds.direct("bob", "alice"), "c1", ContentType.TEXT, "hi"),
                        alice, Events.nodeSource("node-7")))
                .withExtension("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01")
                .build();
        Message message = new Message("d:alice:bob", "c1", 1, new DeviceRef("alice", "phone"), ContentType.TEXT, "hi",
                Instant.parse("2026-11-23T10:00:00Z"));

        CloudEvent reply = Events.reply(EventTypes.MESSAGE_SEQUENCED, new MessageSequenced(message, null), sent,
                Events.functionSource("sequence"));

        assertThat(Events.partitionKey(sent)).isEqualTo("d:alice:bob");
        assertThat(Events.partitionKey(reply)).isEqualTo("d:alice:bob");
        assertThat(Actor.of(reply)).contains(alice);
        assertThat(reply.getExtension("traceparent")).isEqualTo(sent.getExtension("traceparent"));
        assertThat(reply.getSource()).isEqualTo(URI.create("/parley/functions/sequence"));
        assertThat(EventSchemas.violations(reply)).isEmpty();
    }

    @Test
    void readingTheWrongTypeOrBrokenDataFailsClearly() {
        CloudEvent sent = Events.create(EventTypes.MESSAGE_SENT,
                new MessageSent("g:team", "c1", ContentType.TEXT, "hi"), new Actor("a", "d", "n"), Events.nodeSource("n"));
        assertThatThrownBy(() -> Events.data(EventTypes.RECEIPT_READ, sent))
                .isInstanceOf(InvalidEventException.class).hasMessageContaining("expected im.parley.receipt.read");
        CloudEvent broken = CloudEventBuilder.v1(sent).withData("{not json".getBytes()).build();
        assertThatThrownBy(() -> Events.data(EventTypes.MESSAGE_SENT, broken))
                .isInstanceOf(InvalidEventException.class).hasMessageContaining("unreadable data");
    }

    @Test
    void aClientEventWithoutAnActorCannotBeKeyed() {
        assertThatThrownBy(() -> Events.create(EventTypes.SYNC_REQUESTED,
                new im.parley.eventing.sync.SyncRequested("r", im.parley.eventing.sync.SyncRequested.Kind.CONVERSATIONS,
                        null, null, null, null, null), null, Events.nodeSource("n")))
                .isInstanceOf(InvalidEventException.class).hasMessageContaining("actor");
    }

    @Test
    void schemaCheckListsEveryViolation() {
        CloudEvent bad = Events.create(EventTypes.MESSAGE_SENT, new MessageSent("nobody", "", ContentType.TEXT, "hi"),
                new Actor("a", "d", "n"), Events.nodeSource("n"));
        assertThatThrownBy(() -> EventSchemas.check(bad))
                .isInstanceOfSatisfying(InvalidEventException.class, e -> assertThat(e.violations()).hasSize(2));
    }
}
