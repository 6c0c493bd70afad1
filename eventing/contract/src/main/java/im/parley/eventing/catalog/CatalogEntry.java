package im.parley.eventing.catalog;

import java.util.List;

/** One catalog row: who produces a type, who consumes it, and how it is keyed and carried. */
public record CatalogEntry(String type, String description, String schema, String channel, String partitionKey,
                           List<String> producers, List<String> consumers) {
}
