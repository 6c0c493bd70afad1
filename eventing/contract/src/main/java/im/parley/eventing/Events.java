package im.parley.eventing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import im.parley.eventing.catalog.CatalogEntry;
import io.cloudevents.CloudEvent;
import io.cloudevents.CloudEventData;
import io.cloudevents.core.builder.CloudEventBuilder;
import java.io.IOException;
import java.net.URI;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.UUID;

/** Builds and reads Parley CloudEvents through their typed {@link EventType}. */
public final class Events {

    public static final String JSON = "application/json";
    static final String TRACEPARENT = im.parley.eventing.tracing.Tracing.TRACEPARENT;
    static final String TRACESTATE = im.parley.eventing.tracing.Tracing.TRACESTATE;

    private Events() {
    }

    /** A new event from source. actor is null for events no client originated. */
    public static <T> CloudEvent create(EventType<T> type, T data, Actor actor, URI source) {
        CloudEventBuilder builder = builder(type, data, actor, source);
        if (actor != null) {
            actor.stamp(builder);
        }
        return builder.build();
    }

    /**
     * A new event a client sent, built from the catalog alone: its data is the client's JSON, already checked
     * against the type's schema, and its key follows the catalog's rule. A type needs no Java class to travel.
     */
    public static CloudEvent create(CatalogEntry entry, JsonNode data, Actor actor, URI source) {
        byte[] json;
        try {
            json = EventJson.MAPPER.writeValueAsBytes(data);
        } catch (JsonProcessingException e) {
            throw new InvalidEventException("data of " + entry.type() + " cannot be written: " + e.getOriginalMessage(), e);
        }
        String key = PartitionKeys.of(entry.partitionKey(), data, actor);
        CloudEventBuilder builder = base(entry.type(), entry.dataSchema(), key, source).withData(JSON, json);
        actor.stamp(builder);
        return builder.build();
    }

    /**
     * An event caused by another: it keeps the cause's actor and trace context, so the sender can be
     * answered on its own node and the trace continues.
     */
    public static <T> CloudEvent reply(EventType<T> type, T data, CloudEvent cause, URI source) {
        Actor actor = Actor.of(cause).orElse(null);
        CloudEventBuilder builder = builder(type, data, actor, source);
        if (actor != null) {
            actor.stamp(builder);
        }
        for (String name : new String[] {TRACEPARENT, TRACESTATE}) {
            Object value = cause.getExtension(name);
            if (value != null) {
                builder.withExtension(name, value.toString());
            }
        }
        return builder.build();
    }

    /** The typed data of event, which must be of the given type. */
    public static <T> T data(EventType<T> type, CloudEvent event) {
        if (!type.type().equals(event.getType())) {
            throw new InvalidEventException("expected " + type.type() + " but got " + event.getType());
        }
        CloudEventData data = event.getData();
        if (data == null) {
            throw new InvalidEventException("event " + event.getId() + " (" + event.getType() + ") has no data");
        }
        if (data instanceof TypedData typed && type.dataClass().isInstance(typed.value())) {
            return type.dataClass().cast(typed.value());
        }
        try {
            return EventJson.MAPPER.readValue(data.toBytes(), type.dataClass());
        } catch (JsonProcessingException e) {
            throw new InvalidEventException("event " + event.getId() + " (" + event.getType() + ") has unreadable data: "
                    + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new InvalidEventException("event " + event.getId() + " has unreadable data", e);
        }
    }

    public static String partitionKey(CloudEvent event) {
        Object key = event.getExtension(PartitionKeys.EXTENSION);
        return key == null ? null : key.toString();
    }

    public static URI functionSource(String function) {
        return URI.create("/parley/functions/" + function);
    }

    public static URI nodeSource(String nodeId) {
        return URI.create("/parley/connection-tier/" + nodeId);
    }

    private static <T> CloudEventBuilder builder(EventType<T> type, T data, Actor actor, URI source) {
        Objects.requireNonNull(data, "data");
        return base(type.type(), type.dataSchema(), type.partitionKey(data, actor), source).withData(new TypedData(data));
    }

    /** What every new event has: a fresh id, the time now, JSON data of a schema, and its key. */
    private static CloudEventBuilder base(String type, URI dataSchema, String partitionKey, URI source) {
        return CloudEventBuilder.v1()
                .withId(UUID.randomUUID().toString())
                .withSource(source)
                .withType(type)
                .withTime(OffsetDateTime.now(ZoneOffset.UTC))
                .withDataContentType(JSON)
                .withDataSchema(dataSchema)
                .withExtension(PartitionKeys.EXTENSION, partitionKey);
    }
}
