package im.parley.eventing.catalog;

import im.parley.eventing.EventType;
import java.net.URI;
import java.util.List;

/**
 * One catalog row: who produces a type, who consumes it, and how it is keyed and carried.
 *
 * @param frame   the upstream frame ({@code "t"}) clients send for this type, null when clients do not send it
 * @param broker  the Knative Kafka Broker that carries a {@code broker}-channel type, null for the other channels
 * @param ordered for a broker type, whether its Triggers deliver in order; null for the other channels
 * @param ephemeral whether the type is never stored nor sequenced (such as typing): its Triggers are unordered and
 *                  no function of the message path consumes it; null means false
 */
public record CatalogEntry(String type, String frame, String description, String schema, String channel, String broker,
                           Boolean ordered, Boolean ephemeral, String partitionKey, List<String> producers,
                           List<String> consumers) {

    /** Whether the type is never stored nor sequenced. */
    public boolean isEphemeral() {
        return Boolean.TRUE.equals(ephemeral);
    }

    /** The type's schema, as an event's {@code dataschema} names it. */
    public URI dataSchema() {
        return URI.create(EventType.SCHEMA_BASE + schema);
    }
}
