package im.parley.eventing.runtime.trigger;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import im.parley.eventing.knative.KnativeNames;
import im.parley.eventing.runtime.filter.TriggerFilters;
import im.parley.eventing.runtime.manifest.Kustomization;
import im.parley.eventing.runtime.manifest.Kustomization.ManifestException;
import io.fabric8.knative.duck.v1.DeliverySpec;
import io.fabric8.knative.duck.v1.Destination;
import io.fabric8.knative.eventing.v1.Broker;
import io.fabric8.knative.eventing.v1.Trigger;
import io.fabric8.knative.eventing.v1alpha1.KafkaSink;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The eventing side of a manifest tree: each Broker's topic and partitions, the dead-letter topics, and every
 * Trigger, checked and resolved as the Knative Kafka Broker would resolve them.
 *
 * @param topics       every topic the runtime needs (broker and dead-letter topics) with its partition count
 * @param brokerTopics each Broker's topic, by namespace/name: where its ingress produces
 */
public record EventingManifests(Map<String, Integer> topics, Map<String, String> brokerTopics,
                                List<TriggerDefinition> triggers) {

    public static final String EXTERNAL_TOPIC = "kafka.eventing.knative.dev/external.topic";
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    public static EventingManifests load(Path kustomizationRoot) {
        return from(Kustomization.build(kustomizationRoot));
    }

    public static EventingManifests from(List<ObjectNode> objects) {
        Map<String, Broker> brokers = typed(objects, "Broker", Broker.class);
        Map<String, KafkaSink> sinks = typed(objects, "KafkaSink", KafkaSink.class);
        Map<String, Integer> kafkaTopics = new LinkedHashMap<>();
        for (ObjectNode o : objects) {
            if (o.path("kind").asText().equals("KafkaTopic")) {
                String topic = o.path("spec").path("topicName").asText(o.path("metadata").path("name").asText());
                kafkaTopics.put(topic, o.path("spec").path("partitions").asInt(1));
            }
        }
        Map<String, Integer> topics = new LinkedHashMap<>();
        Map<String, String> brokerTopics = new LinkedHashMap<>();
        brokers.forEach((key, broker) -> {
            String topic = topic(key, broker);
            Integer partitions = kafkaTopics.get(topic);
            if (partitions == null) {
                throw new ManifestException("Broker " + key + ": no KafkaTopic defines its topic " + topic);
            }
            brokerTopics.put(key, topic);
            topics.put(topic, partitions);
        });
        List<TriggerDefinition> triggers = new ArrayList<>();
        for (Trigger trigger : typed(objects, "Trigger", Trigger.class).values()) {
            try {
                triggers.add(define(trigger, brokers, sinks, kafkaTopics, topics));
            } catch (IllegalArgumentException e) {
                throw new ManifestException("Trigger " + trigger.getMetadata().getName() + ": " + e.getMessage(), e);
            }
        }
        return new EventingManifests(Map.copyOf(topics), Map.copyOf(brokerTopics), List.copyOf(triggers));
    }

    private static TriggerDefinition define(Trigger trigger, Map<String, Broker> brokers, Map<String, KafkaSink> sinks,
                                            Map<String, Integer> kafkaTopics, Map<String, Integer> topics) {
        String namespace = Objects.requireNonNullElse(trigger.getMetadata().getNamespace(), "default");
        String name = trigger.getMetadata().getName();
        String brokerName = trigger.getSpec().getBroker();
        Broker broker = brokers.get(namespace + "/" + brokerName);
        if (broker == null) {
            throw new IllegalArgumentException("broker " + namespace + "/" + brokerName + " is not defined");
        }
        String topic = topic(namespace + "/" + brokerName, broker);

        Destination subscriber = trigger.getSpec().getSubscriber();
        if (subscriber == null || (subscriber.getRef() == null && subscriber.getUri() == null)) {
            throw new IllegalArgumentException("spec.subscriber needs a ref or a uri");
        }
        String service = null;
        URI uri = null;
        if (subscriber.getRef() != null) {
            if (!"Service".equals(subscriber.getRef().getKind())) {
                throw new IllegalArgumentException("the subscriber ref must be a Knative Service, got "
                        + subscriber.getRef().getKind());
            }
            service = subscriber.getRef().getName();
        } else {
            uri = URI.create(subscriber.getUri());
            if (!uri.isAbsolute()) {
                throw new IllegalArgumentException("subscriber uri must be absolute: " + uri);
            }
        }

        Map<String, String> annotations = annotations(trigger.getMetadata().getAnnotations());
        String order = annotations.getOrDefault(TriggerDefinition.DELIVERY_ORDER, "unordered");
        if (!order.equals("ordered") && !order.equals("unordered")) {
            throw new IllegalArgumentException(TriggerDefinition.DELIVERY_ORDER + " must be ordered or unordered, got " + order);
        }
        // As the Kafka Broker's trigger controller does: the Trigger's delivery whole when it has one, else the
        // Broker's. Never field by field, so a Trigger delivery without deadLetterSink has none.
        DeliverySpec spec = trigger.getSpec().getDelivery() != null ? trigger.getSpec().getDelivery()
                : broker.getSpec() == null ? null : broker.getSpec().getDelivery();
        DeliveryPolicy delivery = delivery(spec, sinks, namespace, kafkaTopics, topics);
        ScalingPolicy scaling = ScalingPolicy.fromAnnotations(annotations);
        return new TriggerDefinition(namespace, name, brokerName, topic, KnativeNames.triggerConsumerGroup(namespace, name),
                TriggerFilters.of(trigger.getSpec().getFilter(), trigger.getSpec().getFilters()), service, uri, delivery,
                order.equals("ordered"), scaling, subscriber.getAudience() == null || subscriber.getAudience().isBlank()
                        ? null : subscriber.getAudience());
    }

    /** The topic Knative gives the broker, or the external one it is pointed at. */
    private static String topic(String key, Broker broker) {
        String namespace = key.substring(0, key.indexOf('/'));
        return annotations(broker.getMetadata().getAnnotations()).getOrDefault(EXTERNAL_TOPIC,
                KnativeNames.brokerTopic(namespace, broker.getMetadata().getName()));
    }

    private static DeliveryPolicy delivery(DeliverySpec spec, Map<String, KafkaSink> sinks, String namespace,
                                           Map<String, Integer> kafkaTopics, Map<String, Integer> topics) {
        if (spec == null) {
            return new DeliveryPolicy(0, DeliveryPolicy.Backoff.EXPONENTIAL, DeliveryPolicy.DEFAULT_BACKOFF_DELAY, null, null);
        }
        String policy = spec.getBackoffPolicy();
        DeliveryPolicy.Backoff backoff = policy == null ? DeliveryPolicy.Backoff.EXPONENTIAL
                : switch (policy.toLowerCase(Locale.ROOT)) {
                    case "linear" -> DeliveryPolicy.Backoff.LINEAR;
                    case "exponential" -> DeliveryPolicy.Backoff.EXPONENTIAL;
                    default -> throw new IllegalArgumentException("backoffPolicy must be linear or exponential, got " + policy);
                };
        String deadLetterTopic = null;
        Destination deadLetter = spec.getDeadLetterSink();
        if (deadLetter != null) {
            if (deadLetter.getRef() == null || !"KafkaSink".equals(deadLetter.getRef().getKind())) {
                throw new IllegalArgumentException("the dead-letter sink must be a KafkaSink ref (a Kafka topic)");
            }
            String sinkNamespace = Objects.requireNonNullElse(deadLetter.getRef().getNamespace(), namespace);
            KafkaSink sink = sinks.get(sinkNamespace + "/" + deadLetter.getRef().getName());
            if (sink == null) {
                throw new IllegalArgumentException("KafkaSink " + sinkNamespace + "/" + deadLetter.getRef().getName()
                        + " is not defined");
            }
            deadLetterTopic = sink.getSpec().getTopic();
            // The topic belongs to a KafkaTopic: a KafkaSink given partitions would own the topic and delete it.
            Integer partitions = kafkaTopics.get(deadLetterTopic);
            if (partitions == null) {
                throw new IllegalArgumentException("no KafkaTopic defines " + deadLetterTopic + ", the topic of KafkaSink "
                        + sink.getMetadata().getName());
            }
            topics.put(deadLetterTopic, partitions);
        }
        Integer retry = spec.getRetry();
        return new DeliveryPolicy(retry == null ? 0 : retry, backoff,
                spec.getBackoffDelay() == null ? DeliveryPolicy.DEFAULT_BACKOFF_DELAY : duration("backoffDelay", spec.getBackoffDelay()),
                spec.getTimeout() == null ? null : duration("timeout", spec.getTimeout()), deadLetterTopic);
    }

    private static Duration duration(String field, String iso8601) {
        try {
            Duration d = Duration.parse(iso8601);
            if (d.isNegative()) {
                throw new IllegalArgumentException(field + " must not be negative: " + iso8601);
            }
            return d;
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(field + " must be an ISO-8601 duration such as PT0.5S, got " + iso8601);
        }
    }

    private static Map<String, String> annotations(Map<String, String> annotations) {
        return annotations == null ? Map.of() : annotations;
    }

    private static <T> Map<String, T> typed(List<ObjectNode> objects, String kind, Class<T> type) {
        Map<String, T> byName = new LinkedHashMap<>();
        for (ObjectNode o : objects) {
            if (o.path("kind").asText().equals(kind)) {
                String key = o.path("metadata").path("namespace").asText("default") + "/" + o.path("metadata").path("name").asText();
                try {
                    byName.put(key, MAPPER.treeToValue(o, type));
                } catch (Exception e) {
                    throw new ManifestException(kind + " " + key + " does not parse: " + e.getMessage(), e);
                }
            }
        }
        return byName;
    }
}
