package im.parley.eventing.catalog;

import java.util.List;

/**
 * One catalog row: who produces a type, who consumes it, and how it is keyed and carried.
 *
 * @param broker the Knative Kafka Broker that carries a {@code broker}-channel type, null for the other channels
 */
public record CatalogEntry(String type, String description, String schema, String channel, String broker,
                           String partitionKey, List<String> producers, List<String> consumers) {
}
