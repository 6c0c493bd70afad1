package im.parley.eventing;

import com.fasterxml.jackson.databind.JsonNode;
import im.parley.eventing.message.ConversationIds;

/**
 * Record keys on the broker topic. All events that must stay in order share a key, so they share a partition.
 */
public final class PartitionKeys {

    /** The extension that carries the key; Knative's broker uses it as the Kafka record key. */
    public static final String EXTENSION = "partitionkey";

    private PartitionKeys() {
    }

    public static String conversation(String conversationId) {
        return conversationId;
    }

    public static String user(String userId) {
        return "u:" + userId;
    }

    /** Both directions of a friendship share one key, so request, accept and cancel are seen in order. */
    public static String friendship(String userA, String userB) {
        return userA.compareTo(userB) <= 0 ? "f:" + userA + ":" + userB : "f:" + userB + ":" + userA;
    }

    public static String node(String nodeId) {
        return nodeId;
    }

    /**
     * The key of an event a client sent, by the catalog's {@code partitionKey} rule, from its JSON data and the
     * authenticated actor: what the typed rules of {@link EventTypes} compute, for types that have none.
     *
     * @throws InvalidEventException when the data lacks what the rule keys on
     */
    public static String of(String rule, JsonNode data, Actor actor) {
        return switch (rule) {
            case "conversation" -> {
                if (data.path("conversationId").isTextual()) {
                    yield conversation(data.get("conversationId").asText());
                }
                if (data.path("groupId").isTextual()) {
                    yield conversation(ConversationIds.group(data.get("groupId").asText()));
                }
                throw new InvalidEventException("conversationId or groupId is required");
            }
            case "user" -> user(actor.userId());
            case "friendship" -> {
                if (!data.path("userId").isTextual()) {
                    throw new InvalidEventException("userId is required");
                }
                yield friendship(actor.userId(), data.get("userId").asText());
            }
            default -> throw new IllegalArgumentException("no client event is keyed by " + rule);
        };
    }
}
