package im.parley.eventing.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import im.parley.eventing.EventJson;
import im.parley.eventing.EventType;
import im.parley.eventing.InvalidEventException;
import im.parley.eventing.catalog.CatalogEntry;
import im.parley.eventing.catalog.EventCatalog;
import io.cloudevents.CloudEvent;
import io.cloudevents.CloudEventData;
import java.io.IOException;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Validates events against schemas/cloudevents/&lt;type&gt;.schema.json (JSON Schema 2020-12). */
public final class EventSchemas {

    private static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012,
            builder -> builder.schemaMappers(m -> m.mapPrefix(EventType.SCHEMA_BASE, "classpath:cloudevents/")));
    private static final SchemaValidatorsConfig CONFIG =
            SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build();
    private static final Map<String, JsonSchema> SCHEMAS = new ConcurrentHashMap<>();
    private static final Map<String, JsonSchema> DATA_SCHEMAS = new ConcurrentHashMap<>();
    private static final JsonSchema FRAMES =
            FACTORY.getSchema(SchemaLocation.of(EventType.SCHEMA_BASE + "frames.schema.json"), CONFIG);

    private EventSchemas() {
    }

    /** The schema violations of a structured-mode JSON event; empty when valid. */
    public static List<String> violations(JsonNode structuredEvent) {
        JsonNode type = structuredEvent.get("type");
        if (type == null || !type.isTextual() || !type.asText().startsWith(EventType.PREFIX)) {
            return List.of("$.type: must name a Parley event type (" + EventType.PREFIX + "…)");
        }
        // The catalog, not the typed contract: a product team's type is checked without a Java class of its own.
        CatalogEntry known = EventCatalog.shared().entry(type.asText()).orElse(null);
        if (known == null) {
            return List.of("$.type: unknown event type " + type.asText());
        }
        JsonSchema schema = SCHEMAS.computeIfAbsent(known.schema(), file ->
                FACTORY.getSchema(SchemaLocation.of(EventType.SCHEMA_BASE + file), CONFIG));
        return schema.validate(structuredEvent).stream()
                .sorted(Comparator.comparing(ValidationMessage::getInstanceLocation, Comparator.comparing(Object::toString)))
                .map(ValidationMessage::getMessage)
                .toList();
    }

    /**
     * The violations of an event's data alone, against the data part of its type's schema: what a client sends in a
     * frame, where everything else of the event is the tier's own. Cheaper than checking the whole event.
     */
    public static List<String> dataViolations(EventType<?> type, JsonNode data) {
        return dataViolations(type.schemaFile(), data);
    }

    /** As {@link #dataViolations(EventType, JsonNode)}, for the schema a catalog entry names. */
    public static List<String> dataViolations(String schemaFile, JsonNode data) {
        JsonSchema schema = DATA_SCHEMAS.computeIfAbsent(schemaFile, file ->
                FACTORY.getSchema(SchemaLocation.of(EventType.SCHEMA_BASE + file + "#/properties/data"), CONFIG));
        return schema.validate(data).stream()
                .sorted(Comparator.comparing(ValidationMessage::getInstanceLocation, Comparator.comparing(Object::toString)))
                .map(ValidationMessage::getMessage)
                .toList();
    }

    public static List<String> violations(CloudEvent event) {
        return violations(toStructuredJson(event));
    }

    /**
     * The violations of a downstream frame, one the server sends a client: its {@code t} names its definition, and
     * its {@code d} must match it exactly. A frame the catalog lists among its downstream frames is checked against
     * its own schema file; every other one against frames.schema.json, the core protocol's.
     */
    public static List<String> frameViolations(JsonNode frame) {
        JsonSchema schema = EventCatalog.shared().downstreamFrame(frame.path("t").asText())
                .map(product -> SCHEMAS.computeIfAbsent(product.schema(), file ->
                        FACTORY.getSchema(SchemaLocation.of(EventType.SCHEMA_BASE + file), CONFIG)))
                .orElse(FRAMES);
        return schema.validate(frame).stream()
                .sorted(Comparator.comparing(ValidationMessage::getInstanceLocation, Comparator.comparing(Object::toString)))
                .map(ValidationMessage::getMessage)
                .distinct()
                .toList();
    }

    /** Throws {@link InvalidEventException} listing every violation. */
    public static void check(CloudEvent event) {
        List<String> violations = violations(event);
        if (!violations.isEmpty()) {
            throw new InvalidEventException(event.getType() + " is invalid: " + String.join("; ", violations),
                    violations, null);
        }
    }

    /** The structured-mode JSON form of an event, with its data as a JSON tree. */
    public static ObjectNode toStructuredJson(CloudEvent event) {
        ObjectNode node = envelope(event);
        CloudEventData data = event.getData();
        if (data != null) {
            try {
                node.set("data", EventJson.MAPPER.readTree(data.toBytes()));
            } catch (IOException e) {
                node.put("data", "<unreadable JSON: " + e.getMessage() + ">");
            }
        }
        return node;
    }

    /** The attributes and extensions of an event in structured-mode JSON, without its data. */
    public static ObjectNode envelope(CloudEvent event) {
        ObjectNode node = EventJson.MAPPER.createObjectNode();
        node.put("specversion", event.getSpecVersion().toString());
        node.put("id", event.getId());
        node.put("source", event.getSource().toString());
        node.put("type", event.getType());
        if (event.getTime() != null) {
            node.put("time", event.getTime().toString());
        }
        if (event.getDataContentType() != null) {
            node.put("datacontenttype", event.getDataContentType());
        }
        if (event.getDataSchema() != null) {
            node.put("dataschema", event.getDataSchema().toString());
        }
        if (event.getSubject() != null) {
            node.put("subject", event.getSubject());
        }
        for (String name : event.getExtensionNames()) {
            Object value = event.getExtension(name);
            if (value instanceof Number number) {
                node.put(name, number.longValue());
            } else if (value instanceof Boolean bool) {
                node.put(name, bool);
            } else {
                node.put(name, String.valueOf(value));
            }
        }
        return node;
    }
}
