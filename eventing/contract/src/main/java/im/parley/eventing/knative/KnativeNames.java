package im.parley.eventing.knative;

import im.parley.eventing.EventType;

/** Names the Knative Kafka Broker data plane derives; the local runtime must use the same. */
public final class KnativeNames {

    private KnativeNames() {
    }

    /** The broker's Kafka topic: knative-broker-&lt;namespace&gt;-&lt;broker&gt;. */
    public static String brokerTopic(String namespace, String broker) {
        return "knative-broker-" + require(namespace, "namespace") + "-" + require(broker, "broker");
    }

    /** The topic of the broker the catalog puts this type on; null for a type that is not on a broker. */
    public static String brokerTopic(String namespace, EventType<?> type) {
        return type.broker() == null ? null : brokerTopic(namespace, type.broker());
    }

    /** The path of a broker on the Kafka Broker's ingress: /&lt;namespace&gt;/&lt;broker&gt;. */
    public static String brokerIngressPath(String namespace, String broker) {
        return "/" + require(namespace, "namespace") + "/" + require(broker, "broker");
    }

    /** A Trigger's consumer group: knative-trigger-&lt;namespace&gt;-&lt;trigger&gt;. */
    public static String triggerConsumerGroup(String namespace, String trigger) {
        return "knative-trigger-" + require(namespace, "namespace") + "-" + require(trigger, "trigger");
    }

    private static String require(String value, String what) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(what + " must not be blank");
        }
        return value;
    }
}
