package im.parley.manifests;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import im.parley.eventing.runtime.manifest.Kustomization;
import io.fabric8.knative.eventing.v1.Broker;
import io.fabric8.knative.eventing.v1.Trigger;
import io.fabric8.knative.eventing.v1alpha1.KafkaSink;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.strimzi.api.kafka.model.kafka.Kafka;
import io.strimzi.api.kafka.model.nodepool.KafkaNodePool;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import io.strimzi.api.kafka.model.user.KafkaUser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** The manifests as the checks see them: the overlays built by a real kustomize, and every object typed. */
final class ManifestTree {

    static final Path MANIFESTS = Path.of("").toAbsolutePath();
    static final Path KEDA = MANIFESTS.resolveSibling("keda");
    /** Merge patches of Knative's own ConfigMaps, applied with kubectl patch, never part of an overlay. */
    static final Path KNATIVE_PATCHES = MANIFESTS.resolve("knative-patches");
    static final List<String> OVERLAYS = List.of("overlays/local", "overlays/production");

    /** apiVersion + " " + kind -> typed model. */
    static final Map<String, Class<?>> MODELS = Map.ofEntries(
            Map.entry("serving.knative.dev/v1 Service", io.fabric8.knative.serving.v1.Service.class),
            Map.entry("eventing.knative.dev/v1 Trigger", Trigger.class),
            Map.entry("eventing.knative.dev/v1 Broker", Broker.class),
            Map.entry("eventing.knative.dev/v1alpha1 KafkaSink", KafkaSink.class),
            Map.entry("kafka.strimzi.io/v1 Kafka", Kafka.class),
            Map.entry("kafka.strimzi.io/v1 KafkaNodePool", KafkaNodePool.class),
            Map.entry("kafka.strimzi.io/v1 KafkaTopic", KafkaTopic.class),
            Map.entry("kafka.strimzi.io/v1 KafkaUser", KafkaUser.class),
            Map.entry("apps/v1 StatefulSet", StatefulSet.class),
            Map.entry("batch/v1 Job", io.fabric8.kubernetes.api.model.batch.v1.Job.class),
            Map.entry("monitoring.coreos.com/v1 PodMonitor", io.fabric8.openshift.api.model.monitoring.v1.PodMonitor.class),
            Map.entry("monitoring.coreos.com/v1 PrometheusRule", io.fabric8.openshift.api.model.monitoring.v1.PrometheusRule.class),
            Map.entry("v1 Service", Service.class),
            Map.entry("v1 ConfigMap", ConfigMap.class),
            Map.entry("v1 Namespace", Namespace.class),
            Map.entry("policy/v1 PodDisruptionBudget", PodDisruptionBudget.class),
            Map.entry("networking.k8s.io/v1 NetworkPolicy", NetworkPolicy.class));

    static final ObjectMapper MAPPER = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private ManifestTree() {
    }

    /** An overlay as {@code kubectl apply -k} would apply it: built by kubectl's kustomize. */
    static List<ObjectNode> build(String overlay) {
        return Kubectl.kustomize(MANIFESTS.resolve(overlay));
    }

    /** An overlay as the local eventing runtime reads it. */
    static List<ObjectNode> buildForRuntime(String overlay) {
        return Kustomization.build(MANIFESTS.resolve(overlay));
    }

    /** Every YAML file under manifests/ and keda/, kustomizations aside. */
    static List<Path> yamlFiles() throws IOException {
        try (Stream<Path> manifests = Files.walk(MANIFESTS); Stream<Path> keda = Files.walk(KEDA)) {
            return Stream.concat(manifests, keda)
                    .filter(p -> p.toString().endsWith(".yaml") && !p.getFileName().toString().equals("kustomization.yaml"))
                    .filter(p -> !p.startsWith(MANIFESTS.resolve("target")) && !p.startsWith(MANIFESTS.resolve("src")))
                    .sorted().toList();
        }
    }

    static String key(ObjectNode object) {
        return object.path("apiVersion").asText() + " " + object.path("kind").asText();
    }

    static String name(ObjectNode object) {
        return object.path("kind").asText() + "/" + object.path("metadata").path("name").asText();
    }

    static <T> T typed(ObjectNode object, Class<T> type) {
        try {
            return MAPPER.treeToValue(object, type);
        } catch (IOException e) {
            throw new AssertionError(name(object) + " does not parse as " + type.getSimpleName() + ": " + e.getMessage(), e);
        }
    }
}
