package im.parley.connection.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import im.parley.eventing.Actor;
import im.parley.eventing.EventJson;
import im.parley.eventing.Events;
import im.parley.eventing.InvalidEventException;
import im.parley.eventing.catalog.CatalogEntry;
import im.parley.eventing.message.ConversationIds;
import im.parley.eventing.schema.EventSchemas;
import io.cloudevents.CloudEvent;
import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Map;

/**
 * Turns one upstream frame {@code {"v":1,"t":"send","id":"r1","d":{…}}} into the CloudEvent it stands for,
 * stamped with the authenticated actor, or says precisely why it cannot.
 */
public final class FrameConversion {

    public static final int VERSION = 1;

    /** What a frame turned out to be. */
    public sealed interface Outcome permits Event, Ping, Rejected {
    }

    /** @param clientMsgId the message's, for a {@code send} frame; else null */
    public record Event(CloudEvent event, String requestId, String clientMsgId) implements Outcome {
    }

    public record Ping(String requestId) implements Outcome {
    }

    public record Rejected(String requestId, String code, String reason) implements Outcome {
    }

    private FrameConversion() {
    }

    public static Outcome convert(byte[] frame, Actor actor, URI source) {
        return convert(UpstreamFrames.EVENT_OF, frame, actor, source);
    }

    /** @param frames frame name to the catalog type it becomes */
    static Outcome convert(Map<String, CatalogEntry> frames, byte[] frame, Actor actor, URI source) {
        JsonNode root;
        try {
            root = EventJson.MAPPER.readTree(frame);
        } catch (IOException e) {
            return new Rejected(null, "malformed", "frame is not JSON");
        }
        if (root == null || !root.isObject()) {
            return new Rejected(null, "malformed", "frame must be a JSON object");
        }
        String id = root.path("id").isTextual() ? root.get("id").asText() : null;
        if (id != null && id.length() > 64) {
            return new Rejected(null, "invalid", "id is longer than 64 characters");
        }
        if (root.path("v").asInt(-1) != VERSION) {
            return new Rejected(id, "unsupported-version", "protocol version " + VERSION + " expected in \"v\"");
        }
        String t = root.path("t").asText("");
        if (t.equals("ping")) {
            return new Ping(id);
        }
        CatalogEntry type = frames.get(t);
        if (type == null) {
            return new Rejected(id, "unknown-type", "unknown frame type \"" + t + "\"");
        }
        JsonNode d = root.get("d");
        if (d == null || !d.isObject()) {
            return new Rejected(id, "invalid", "\"d\" must be an object");
        }
        try {
            CloudEvent event = build(type, (ObjectNode) d, actor, source);
            return new Event(event, id, d.path("clientMsgId").asText(null));
        } catch (InvalidEventException e) {
            return new Rejected(id, "invalid", String.join("; ", e.violations()));
        }
    }

    /**
     * Checks what the client sent (unknown fields, a smuggled "from", must be refused) against the data part of the
     * type's schema, then builds the event around it; everything else in the event is the tier's own.
     */
    private static CloudEvent build(CatalogEntry type, ObjectNode d, Actor actor, URI source) {
        List<String> violations = EventSchemas.dataViolations(type.schema(), d);
        if (violations.isEmpty() && d.path("conversationId").isTextual()) {
            String problem = ConversationIds.problem(d.path("conversationId").asText());
            if (problem != null) {
                violations = List.of("conversationId: " + problem);
            }
        }
        if (!violations.isEmpty()) {
            throw new InvalidEventException("invalid " + type.type(), violations, null);
        }
        // Built from the catalog, with the client's JSON as the data: the tier needs no class per type.
        return Events.create(type, d, actor, source);
    }
}
