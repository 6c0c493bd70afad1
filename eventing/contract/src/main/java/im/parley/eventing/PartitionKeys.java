package im.parley.eventing;

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
}
