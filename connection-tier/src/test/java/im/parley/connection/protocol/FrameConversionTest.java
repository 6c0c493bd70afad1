package im.parley.connection.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import im.parley.eventing.Actor;
import im.parley.eventing.catalog.CatalogEntry;
import im.parley.eventing.catalog.EventCatalog;
import im.parley.eventing.EventTypes;
import im.parley.eventing.Events;
import im.parley.eventing.friend.FriendAction;
import im.parley.eventing.schema.EventSchemas;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FrameConversionTest {

    private static final Actor ALICE = new Actor("alice", "phone", "node-1");
    private static final URI SOURCE = URI.create("/parley/connection-tier/node-1");

    private static FrameConversion.Outcome convert(String frame) {
        return FrameConversion.convert(frame.getBytes(StandardCharsets.UTF_8), ALICE, SOURCE);
    }

    @Test
    void theFramesComeFromTheCatalog() {
        assertThat(UpstreamFrames.EVENT_OF).isEqualTo(EventCatalog.shared().frames());
        // The core's; a product team's function adds its own to the catalog.
        assertThat(UpstreamFrames.EVENT_OF.keySet()).contains("send", "receipt.delivered",
                "receipt.read", "sync", "group.create", "group.join", "group.leave", "group.role", "friend.request",
                "friend.accept", "friend.decline", "friend.cancel", "friend.remove", "friend.block", "friend.unblock",
                "presence.set", "presence.watch", "push.register", "push.settings");
        assertThat(UpstreamFrames.EVENT_OF.get("send").type()).isEqualTo(EventTypes.MESSAGE_SENT.type());
        assertThat(UpstreamFrames.EVENT_OF.get("friend.block").type()).isEqualTo(EventTypes.FRIEND_BLOCKED.type());
    }

    @Test
    void aFrameOnlyTheCatalogKnowsBecomesItsEventWithNoCodeOfItsOwn() {
        CatalogEntry typing = new CatalogEntry("im.parley.test.typing", "typing", "a test type", "test.typing.schema.json",
                "broker", "default", false, true, "conversation", List.of("connection-tier"), List.of("typing"));
        Map<String, CatalogEntry> frames = Map.of("typing", typing);
        String frame = "{\"v\":1,\"t\":\"typing\",\"id\":\"t1\",\"d\":{\"conversationId\":\"g:team\",\"state\":%s}}";
        var outcome = (FrameConversion.Event) FrameConversion.convert(frames,
                frame.formatted("\"typing\"").getBytes(StandardCharsets.UTF_8), ALICE, SOURCE);
        assertThat(outcome.event().getType()).isEqualTo("im.parley.test.typing");
        assertThat(outcome.event().getDataSchema()).hasToString("https://schemas.parley.im/cloudevents/test.typing.schema.json");
        assertThat(Events.partitionKey(outcome.event())).isEqualTo("g:team");
        assertThat(Actor.require(outcome.event())).isEqualTo(ALICE);
        assertThat(new String(outcome.event().getData().toBytes(), StandardCharsets.UTF_8))
                .isEqualTo("{\"conversationId\":\"g:team\",\"state\":\"typing\"}");
        // Its own schema is enforced, as for the core's frames.
        assertThat(FrameConversion.convert(frames, frame.formatted("\"shouting\"").getBytes(StandardCharsets.UTF_8), ALICE, SOURCE))
                .isInstanceOfSatisfying(FrameConversion.Rejected.class, r -> {
                    assertThat(r.requestId()).isEqualTo("t1");
                    assertThat(r.reason()).contains("/state");
                });
        assertThat(FrameConversion.convert(frames, ("{\"v\":1,\"t\":\"send\",\"d\":{}}").getBytes(StandardCharsets.UTF_8), ALICE, SOURCE))
                .isInstanceOfSatisfying(FrameConversion.Rejected.class, r -> assertThat(r.code()).isEqualTo("unknown-type"));
    }

    @Test
    void aFriendFrameIsKeyedByThePairWhoeverSendsIt() {
        var outcome = (FrameConversion.Event) convert("{\"v\":1,\"t\":\"friend.block\",\"d\":{\"userId\":\"Zed\"}}");
        assertThat(outcome.event().getType()).isEqualTo(EventTypes.FRIEND_BLOCKED.type());
        assertThat(Events.partitionKey(outcome.event())).isEqualTo("f:Zed:alice");
        assertThat(Events.data(EventTypes.FRIEND_BLOCKED, outcome.event())).isEqualTo(new FriendAction("Zed"));
        assertThat(EventSchemas.violations(outcome.event())).isEmpty();
    }

    @Test
    void rejectionsNameTheProblemAndKeepTheRequestId() {
        assertThat(convert("{\"v\":1,\"t\":\"receipt.read\",\"id\":\"x\",\"d\":{\"conversationId\":\"g:t\",\"seq\":0}}"))
                .isInstanceOfSatisfying(FrameConversion.Rejected.class, r -> {
                    assertThat(r.requestId()).isEqualTo("x");
                    assertThat(r.code()).isEqualTo("invalid");
                    assertThat(r.reason()).contains("seq");
                });
        assertThat(convert("{\"v\":1,\"t\":\"send\",\"id\":\"y\",\"d\":{\"conversationId\":5}}"))
                .isInstanceOfSatisfying(FrameConversion.Rejected.class, r -> assertThat(r.requestId()).isEqualTo("y"));
        assertThat(convert("[1,2]")).isInstanceOfSatisfying(FrameConversion.Rejected.class,
                r -> assertThat(r.code()).isEqualTo("malformed"));
        assertThat(convert("{\"v\":1,\"t\":\"send\",\"id\":\"" + "i".repeat(65) + "\",\"d\":{}}"))
                .isInstanceOfSatisfying(FrameConversion.Rejected.class, r -> assertThat(r.requestId()).isNull());
    }

    @Test
    void anUnknownContentTypeIsRefusedWithTheValuesAllowed() {
        String frame = "{\"v\":1,\"t\":\"send\",\"id\":\"c\",\"d\":{\"conversationId\":\"d:alice:bob\",\"clientMsgId\":\"c1\","
                + "\"contentType\":%s,\"content\":\"hi\"}}";
        for (String wrong : new String[] {"\"video\"", "\"TEXT\"", "7", "null"}) {
            assertThat(convert(frame.formatted(wrong))).as(wrong).isInstanceOfSatisfying(FrameConversion.Rejected.class, r -> {
                assertThat(r.code()).isEqualTo("invalid");
                // The schema's words, never a Java type or a deserializer's message.
                assertThat(r.reason()).isEqualTo("/contentType: does not have a value in the enumeration"
                        + " [\"text\", \"image\", \"file\", \"custom\"]");
            });
        }
    }

    @Test
    void aPairHasOneConversationIdAndTheOtherOrderIsRefused() {
        String frame = "{\"v\":1,\"t\":\"send\",\"id\":\"z\",\"d\":{\"conversationId\":\"%s\",\"clientMsgId\":\"c1\","
                + "\"contentType\":\"text\",\"content\":\"hi\"}}";
        assertThat(convert(frame.formatted("d:bob:alice"))).isInstanceOfSatisfying(FrameConversion.Rejected.class, r -> {
            assertThat(r.code()).isEqualTo("invalid");
            assertThat(r.reason()).contains("out of order: use d:alice:bob");
        });
        assertThat(convert(frame.formatted("d:alice:bob"))).isInstanceOf(FrameConversion.Event.class);
    }

    @Test
    void aCatchUpNamesAtMostTwoThousandCursors() {
        String frame = "{\"v\":1,\"t\":\"sync\",\"id\":\"s\",\"d\":{\"requestId\":\"s\",\"kind\":\"catch-up\",\"cursors\":{%s}}}";
        String allowed = java.util.stream.IntStream.range(0, 2000).mapToObj(i -> "\"g:c" + i + "\":1")
                .collect(java.util.stream.Collectors.joining(","));
        assertThat(convert(frame.formatted(allowed))).isInstanceOf(FrameConversion.Event.class);
        assertThat(convert(frame.formatted(allowed + ",\"g:one-more\":1")))
                .isInstanceOfSatisfying(FrameConversion.Rejected.class, r -> {
                    assertThat(r.code()).isEqualTo("invalid");
                    assertThat(r.reason()).contains("cursors");
                });
    }
}
