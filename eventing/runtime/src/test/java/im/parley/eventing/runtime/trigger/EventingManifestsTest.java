package im.parley.eventing.runtime.trigger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import im.parley.eventing.runtime.manifest.Kustomization;
import im.parley.eventing.runtime.manifest.Kustomization.ManifestException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Trigger semantics the Kafka Broker's controllers apply, as the local runtime reads them. */
class EventingManifestsTest {

    static final String BROKER = """
            apiVersion: eventing.knative.dev/v1
            kind: Broker
            metadata: {name: default, namespace: parley, annotations: {eventing.knative.dev/broker.class: Kafka}}
            spec:
              delivery:
                retry: 6
                backoffDelay: PT0.2S
                timeout: PT10S
                deadLetterSink: {ref: {apiVersion: eventing.knative.dev/v1alpha1, kind: KafkaSink, name: dead-letters}}
            ---
            apiVersion: eventing.knative.dev/v1alpha1
            kind: KafkaSink
            metadata: {name: dead-letters, namespace: parley}
            spec: {topic: dead, bootstrapServers: [kafka:9092]}
            ---
            apiVersion: kafka.strimzi.io/v1
            kind: KafkaTopic
            metadata: {name: broker-topic}
            spec: {topicName: knative-broker-parley-default, partitions: 4}
            """;
    static final String DEAD_LETTER_TOPIC = """
            ---
            apiVersion: kafka.strimzi.io/v1
            kind: KafkaTopic
            metadata: {name: dead}
            spec: {topicName: dead, partitions: 3}
            """;

    @TempDir
    Path dir;

    EventingManifests load(String yaml) throws Exception {
        Files.writeString(dir.resolve("all.yaml"), yaml);
        return EventingManifests.from(Kustomization.readObjects(dir.resolve("all.yaml")));
    }

    static String trigger(String name, String annotations, String delivery) {
        return """
                ---
                apiVersion: eventing.knative.dev/v1
                kind: Trigger
                metadata: {name: %s, namespace: parley, annotations: {%s}}
                spec:
                  broker: default
                  subscriber: {ref: {apiVersion: serving.knative.dev/v1, kind: Service, name: f}}
                %s""".formatted(name, annotations, delivery);
    }

    TriggerDefinition only(EventingManifests eventing) {
        assertThat(eventing.triggers()).hasSize(1);
        return eventing.triggers().get(0);
    }

    @Test
    void aTriggersDeliveryReplacesTheBrokersWholeSoWithoutItsOwnSinkNothingIsDeadLettered() throws Exception {
        DeliveryPolicy own = only(load(BROKER + DEAD_LETTER_TOPIC + trigger("t", "", "  delivery: {retry: 2}\n"))).delivery();
        assertThat(own.retry()).isEqualTo(2);
        assertThat(own.timeout()).as("not the Broker's").isNull();
        assertThat(own.backoffDelay()).isEqualTo(DeliveryPolicy.DEFAULT_BACKOFF_DELAY);
        assertThat(own.deadLetterTopic()).as("not the Broker's").isNull();
    }

    @Test
    void aTriggerWithoutDeliveryTakesTheBrokersWhole() throws Exception {
        EventingManifests eventing = load(BROKER + DEAD_LETTER_TOPIC + trigger("t", "", ""));
        DeliveryPolicy inherited = only(eventing).delivery();
        assertThat(inherited.retry()).isEqualTo(6);
        assertThat(inherited.backoffDelay()).isEqualTo(Duration.ofMillis(200));
        assertThat(inherited.timeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(inherited.deadLetterTopic()).isEqualTo("dead");
        assertThat(eventing.topics()).containsEntry("dead", 3).containsEntry("knative-broker-parley-default", 4);
    }

    @Test
    void theDeadLetterTopicMustBeAKafkaTopicNotOneTheSinkWouldOwn() throws Exception {
        assertThatThrownBy(() -> load(BROKER + trigger("t", "", "")))
                .isInstanceOf(ManifestException.class).hasMessageContaining("no KafkaTopic defines dead");
    }

    @Test
    void aTriggerThatOmitsScalingKeysGetsWhatKnativeWritesIntoItsScaledObject() throws Exception {
        ScalingPolicy omitted = only(load(BROKER + DEAD_LETTER_TOPIC + trigger("t", "", ""))).scaling();
        assertThat(omitted).isEqualTo(new ScalingPolicy(true, 0, 50, Duration.ofSeconds(10), Duration.ofSeconds(30), 100, 0));
    }

    @Test
    void activationLagThresholdIsNotPassedToKedaAndDisabledMeansOneReplica() {
        String prefix = ScalingPolicy.PREFIX;
        assertThat(ScalingPolicy.fromAnnotations(Map.of(prefix + "activation-lag-threshold", "40",
                prefix + "lag-threshold", "20")).activationLagThreshold()).isZero();
        assertThat(ScalingPolicy.fromAnnotations(Map.of(prefix + "class", "disabled"))).isEqualTo(ScalingPolicy.FIXED_ONE);
        assertThatThrownBy(() -> ScalingPolicy.fromAnnotations(Map.of(prefix + "class", "keda")))
                .hasMessageContaining("class must be keda.autoscaling.knative.dev or disabled");
    }
}
