package im.parley.eventing.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Writes a small Kustomize tree for one test: a Broker with its KafkaTopic, a dead-letter KafkaSink, and Triggers. */
final class TestManifests {

    final String namespace;
    final int partitions;
    private final List<String> triggers = new ArrayList<>();

    TestManifests(String namespace, int partitions) {
        this.namespace = namespace;
        this.partitions = partitions;
    }

    String topic() {
        return "knative-broker-" + namespace + "-default";
    }

    String deadLetterTopic() {
        return namespace + "-dead-letters";
    }

    /** A Trigger; {@code body} is YAML indented for {@code spec:} and {@code annotations} for {@code metadata.annotations:}. */
    TestManifests trigger(String name, String annotations, String body) {
        String all = annotations == null ? "" : annotations.stripIndent();
        if (!all.contains("autoscaling.eventing.knative.dev/class")) {
            // One fixed replica, as a test expects; with KEDA enabled a Trigger without a class is lag-scaled.
            all = all + (all.isBlank() || all.endsWith("\n") ? "" : "\n") + "autoscaling.eventing.knative.dev/class: disabled\n";
        }
        String meta = "  annotations:\n" + indent(all, 4) + "\n";
        triggers.add("apiVersion: eventing.knative.dev/v1\nkind: Trigger\nmetadata:\n  name: " + name + "\n" + meta
                + "spec:\n  broker: default\n" + indent(body, 2) + "\n");
        return this;
    }

    Path write(Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("kustomization.yaml"), """
                apiVersion: kustomize.config.k8s.io/v1beta1
                kind: Kustomization
                namespace: %s
                resources:
                  - broker.yaml
                  - triggers.yaml
                """.formatted(namespace));
        Files.writeString(dir.resolve("broker.yaml"), """
                apiVersion: eventing.knative.dev/v1
                kind: Broker
                metadata:
                  name: default
                  annotations:
                    eventing.knative.dev/broker.class: Kafka
                    kafka.eventing.knative.dev/external.topic: %s
                spec:
                  delivery:
                    deadLetterSink:
                      ref:
                        apiVersion: eventing.knative.dev/v1alpha1
                        kind: KafkaSink
                        name: dead-letters
                ---
                apiVersion: kafka.strimzi.io/v1
                kind: KafkaTopic
                metadata:
                  name: broker-topic
                spec:
                  topicName: %s
                  partitions: %d
                  replicas: 1
                ---
                apiVersion: eventing.knative.dev/v1alpha1
                kind: KafkaSink
                metadata:
                  name: dead-letters
                spec:
                  topic: %s
                  bootstrapServers: ["unused:9092"]
                ---
                apiVersion: kafka.strimzi.io/v1
                kind: KafkaTopic
                metadata:
                  name: dead-letter-topic
                spec:
                  topicName: %s
                  partitions: 1
                  replicas: 1
                """.formatted(topic(), topic(), partitions, deadLetterTopic(), deadLetterTopic()));
        Files.writeString(dir.resolve("triggers.yaml"), String.join("---\n", triggers));
        return dir;
    }

    private static String indent(String text, int spaces) {
        if (text == null || text.isBlank()) {
            return "";
        }
        String pad = " ".repeat(spaces);
        return text.stripIndent().lines().map(l -> pad + l).reduce((a, b) -> a + "\n" + b).orElse("");
    }
}
