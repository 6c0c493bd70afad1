package im.parley.manifests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import im.parley.eventing.Attempt;
import im.parley.eventing.catalog.CatalogEntry;
import im.parley.eventing.catalog.EventCatalog;
import im.parley.eventing.knative.KnativeNames;
import im.parley.eventing.runtime.manifest.Kustomization;
import im.parley.eventing.runtime.trigger.EventingManifests;
import im.parley.eventing.runtime.trigger.ScalingPolicy;
import im.parley.eventing.runtime.trigger.TriggerDefinition;
import io.fabric8.knative.eventing.v1.Broker;
import io.fabric8.knative.eventing.v1.Trigger;
import io.fabric8.knative.serving.v1.Service;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.openshift.api.model.monitoring.v1.PodMonitor;
import io.fabric8.openshift.api.model.monitoring.v1.PrometheusRule;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import io.strimzi.api.kafka.model.user.KafkaUser;
import io.strimzi.api.kafka.model.user.KafkaUserAuthorizationSimple;
import io.strimzi.api.kafka.model.user.acl.StrimziAclOperation;
import io.strimzi.api.kafka.model.user.acl.AclResourcePatternType;
import io.strimzi.api.kafka.model.user.acl.AclRuleGroupResource;
import io.strimzi.api.kafka.model.user.acl.AclRuleTopicResource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The objects agree with each other, with Knative's naming, and with the event catalog. */
class ManifestConsistencyTest {

    static final EventCatalog CATALOG = EventCatalog.load();
    /** The keys Knative writes into a Trigger's ScaledObject; every Trigger sets each one, so none falls to a default. */
    static final Set<String> KEDA_KEYS = Set.of("class", "min-scale", "max-scale", "polling-interval", "cooldown-period",
            "lag-threshold");
    static final Set<String> MESSAGE_PATH = Set.of("messaging");
    /** The Kafka versions both Strimzi releases we target support (1.1 and 1.2; their kafka-versions.yaml). */
    static final Set<String> STRIMZI_KAFKA_VERSIONS = Set.of("4.2.0", "4.2.1", "4.3.0");

    static Stream<String> overlays() {
        return ManifestTree.OVERLAYS.stream();
    }

    static <T> List<T> all(List<ObjectNode> objects, String kind, Class<T> type) {
        return objects.stream().filter(o -> o.path("kind").asText().equals(kind)
                        && ManifestTree.MODELS.get(ManifestTree.key(o)) == type)
                .map(o -> ManifestTree.typed(o, type)).toList();
    }

    static List<Trigger> triggers(List<ObjectNode> objects) {
        return all(objects, "Trigger", Trigger.class);
    }

    static String service(Trigger t) {
        return t.getSpec().getSubscriber().getRef().getName();
    }

    /**
     * The event types a Trigger takes: its {@code filter.attributes.type}, or the exact types of its {@code filters}
     * (a list of one {@code any} of {@code exact} types, as for the message path's one Trigger).
     */
    static List<String> types(Trigger t) {
        if (t.getSpec().getFilters() == null || t.getSpec().getFilters().isEmpty()) {
            return List.of(t.getSpec().getFilter().getAttributes().get("type"));
        }
        assertThat(t.getSpec().getFilters()).as(t.getMetadata().getName() + " filters on one any of exact types").hasSize(1);
        return t.getSpec().getFilters().get(0).getAny().stream().map(f -> f.getExact().get("type")).toList();
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void everyFunctionHasAServiceTriggersAndAScalingConfig(String overlay) throws Exception {
        List<ObjectNode> objects = ManifestTree.build(overlay);
        Set<String> functions = all(objects, "Service", Service.class).stream().map(s -> s.getMetadata().getName())
                .collect(Collectors.toSet());
        assertThat(functions).contains("messaging", "fanout", "receipt", "sync", "group", "friend-request", "push",
                "presence");
        for (String function : functions) {
            List<Trigger> own = triggers(objects).stream().filter(t -> service(t).equals(function)).toList();
            assertThat(own).as("triggers of " + function).isNotEmpty();
            assertThat(own).as("scaling of " + function).allSatisfy(t ->
                    assertThat(ScalingPolicy.fromAnnotations(t.getMetadata().getAnnotations()).autoscaled()).isTrue());
            assertThat(Files.exists(ManifestTree.KEDA.resolve(function + ".yaml"))).as("keda/" + function + ".yaml").isTrue();
        }
        try (Stream<Path> keda = Files.list(ManifestTree.KEDA)) {
            assertThat(keda.map(p -> p.getFileName().toString()).filter(n -> !n.equals("kustomization.yaml"))
                    .map(n -> n.replace(".yaml", ""))).allMatch(functions::contains);
        }
        assertThat(triggers(objects)).allSatisfy(t -> assertThat(functions).contains(service(t)));
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void triggersAndTheCatalogAgree(String overlay) {
        List<Trigger> triggers = triggers(ManifestTree.build(overlay));
        for (Trigger t : triggers) {
          for (String type : types(t)) {
            CatalogEntry entry = CATALOG.entry(type).orElseThrow(() ->
                    new AssertionError(t.getMetadata().getName() + " filters on " + type + ", which is not in the catalog"));
            assertThat(entry.channel()).as(entry.type()).isEqualTo("broker");
            assertThat(t.getSpec().getBroker()).as(t.getMetadata().getName() + " is on the broker the catalog names")
                    .isEqualTo(entry.broker());
            assertThat(entry.consumers()).as("catalog consumers of " + entry.type()).contains(service(t));
            assertThat(entry.producers()).as(t.getMetadata().getName() + " would feed its own replies back to itself")
                    .doesNotContain(service(t));
            assertThat(t.getMetadata().getAnnotations()).as(t.getMetadata().getName() + " delivers as the catalog says")
                    .containsEntry("kafka.eventing.knative.dev/delivery.order", entry.ordered() ? "ordered" : "unordered");
          }
        }
        for (CatalogEntry entry : CATALOG.types()) {
            if (!entry.channel().equals("broker")) {
                continue;
            }
            for (String consumer : entry.consumers()) {
                assertThat(triggers).as("a trigger for " + consumer + " on " + entry.type())
                        .anyMatch(t -> service(t).equals(consumer) && types(t).contains(entry.type()));
            }
        }
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void theBrokersAreTheCatalogsAndTheirTopicsFollowKnativesTemplate(String overlay) {
        List<ObjectNode> objects = ManifestTree.build(overlay);
        Map<String, String> topics = all(objects, "Broker", Broker.class).stream().collect(Collectors.toMap(
                b -> b.getMetadata().getName(), b -> b.getMetadata().getAnnotations().get(EventingManifests.EXTERNAL_TOPIC)));
        assertThat(topics.keySet()).as("one Broker per catalog broker")
                .containsExactlyInAnyOrderElementsOf(CATALOG.brokers().stream().map(EventCatalog.Broker::name).toList());
        // The connection tier derives a type's topic from the catalog with Knative's template; so must the Brokers.
        topics.forEach((broker, topic) -> assertThat(topic).as(broker).isEqualTo(KnativeNames.brokerTopic("parley", broker)));
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void topicAndConsumerGroupNamesFollowKnativesTemplates(String overlay) {
        List<ObjectNode> objects = ManifestTree.build(overlay);
        EventingManifests eventing = EventingManifests.from(objects);
        for (TriggerDefinition t : eventing.triggers()) {
            assertThat(t.topic()).isEqualTo(KnativeNames.brokerTopic("parley", t.broker()));
            assertThat(eventing.topics()).containsKey(t.topic());
            assertThat(t.consumerGroup()).isEqualTo("knative-trigger-parley-" + t.name());
            assertThat(t.name()).matches("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
        }
        Set<String> kafkaTopics = all(objects, "KafkaTopic", KafkaTopic.class).stream()
                .map(k -> k.getSpec().getTopicName()).collect(Collectors.toSet());
        assertThat(kafkaTopics).containsAll(eventing.topics().keySet());
        assertThat(eventing.topics().keySet()).allMatch(topic -> topic.startsWith("knative-"));

        KafkaUser knative = all(objects, "KafkaUser", KafkaUser.class).stream()
                .filter(u -> u.getMetadata().getName().equals("knative-eventing")).findFirst().orElseThrow();
        var acls = ((KafkaUserAuthorizationSimple) knative.getSpec().getAuthorization()).getAcls();
        assertThat(acls).anyMatch(a -> a.getResource() instanceof AclRuleTopicResource r && r.getName().equals("knative-")
                && r.getPatternType() == AclResourcePatternType.PREFIX);
        assertThat(acls).anyMatch(a -> a.getResource() instanceof AclRuleGroupResource r
                && r.getName().equals("knative-trigger-") && r.getPatternType() == AclResourcePatternType.PREFIX);
        KafkaUser tier = all(objects, "KafkaUser", KafkaUser.class).stream()
                .filter(u -> u.getMetadata().getName().equals("connection-tier")).findFirst().orElseThrow();
        Set<String> writable = ((KafkaUserAuthorizationSimple) tier.getSpec().getAuthorization()).getAcls().stream()
                .filter(a -> a.getResource() instanceof AclRuleTopicResource && a.getOperations().contains(StrimziAclOperation.WRITE))
                .map(a -> ((AclRuleTopicResource) a.getResource()).getName()).collect(Collectors.toSet());
        Set<String> upstream = CATALOG.types().stream().filter(e -> e.producers().contains("connection-tier"))
                .map(e -> KnativeNames.brokerTopic("parley", e.broker())).collect(Collectors.toSet());
        assertThat(writable).as("the connection tier writes every broker topic it produces to").containsAll(upstream);
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void scalingIsExplicitUsesOnlyKeysKnativePassesOnAndNeverMoreReplicasThanPartitions(String overlay) {
        List<ObjectNode> objects = ManifestTree.build(overlay);
        Map<String, Integer> partitions = EventingManifests.from(objects).topics();
        for (Trigger t : triggers(objects)) {
            Map<String, String> annotations = t.getMetadata().getAnnotations();
            Set<String> keys = annotations.keySet().stream().filter(k -> k.startsWith(ScalingPolicy.PREFIX))
                    .map(k -> k.substring(ScalingPolicy.PREFIX.length())).collect(Collectors.toSet());
            assertThat(keys).as(t.getMetadata().getName() + ": set every scaling key in keda/ (a missing one takes "
                    + "Knative's default, max-scale 50 among them); activation-lag-threshold is never passed to KEDA, "
                    + "so leave it out").isEqualTo(KEDA_KEYS);
            ScalingPolicy scaling = ScalingPolicy.fromAnnotations(annotations);
            assertThat(scaling.maxScale()).as("max-scale of " + t.getMetadata().getName())
                    .as("max-scale of " + t.getMetadata().getName() + ": replicas beyond the partitions sit idle")
                    .isLessThanOrEqualTo(partitions.get(KnativeNames.brokerTopic("parley", t.getSpec().getBroker())));
        }
    }

    @Test
    void theKafkaVersionIsOneStrimziSupportsAndTheOneRunLocally() throws Exception {
        for (String overlay : ManifestTree.OVERLAYS) {
            ObjectNode kafka = ManifestTree.build(overlay).stream().filter(o -> o.path("kind").asText().equals("Kafka"))
                    .findFirst().orElseThrow();
            String version = kafka.path("spec").path("kafka").path("version").asText();
            assertThat(version).as(overlay).isIn(STRIMZI_KAFKA_VERSIONS);
            try (var in = getClass().getClassLoader().getResourceAsStream("im/parley/stack/kafka.classpath")) {
                assertThat(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8))
                        .as("local-stack/kafka-runtime runs the version the cluster runs")
                        .contains("/kafka_2.13-" + version + ".jar");
            }
        }
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void aJobAppliesTheSchemaReplicatedOverTheDatacentersNodesAsARoleOfItsOwn(String overlay) throws Exception {
        List<ObjectNode> objects = ManifestTree.build(overlay);
        Job job = all(objects, "Job", Job.class).stream().filter(j -> j.getMetadata().getName().equals("parley-schema"))
                .findFirst().orElseThrow(() -> new AssertionError("no schema Job: nothing would create the tables"));
        var container = job.getSpec().getTemplate().getSpec().getContainers().get(0);
        String main = container.getCommand().get(container.getCommand().size() - 1);
        assertThat(ManifestTree.MANIFESTS.resolveSibling("functions/support/src/main/java/"
                + main.replace('.', '/') + ".java")).as("the Job's main class").exists();
        assertThat(container.getEnvFrom()).anySatisfy(e -> assertThat(e.getConfigMapRef().getName()).isEqualTo("parley-functions"));
        assertThat(container.getEnv()).filteredOn(e -> e.getName().startsWith("PARLEY_CASSANDRA_"))
                .extracting(e -> e.getValueFrom().getSecretKeyRef().getName()).as("credentials from its own Secret")
                .containsExactly("parley-cassandra-schema", "parley-cassandra-schema");

        JsonNode config = objects.stream().filter(o -> o.path("kind").asText().equals("ConfigMap")
                && o.path("metadata").path("name").asText().equals("parley-functions")).findFirst().orElseThrow().path("data");
        StatefulSet cassandra = all(objects, "StatefulSet", StatefulSet.class).stream()
                .filter(st -> st.getMetadata().getName().equals("cassandra")).findFirst().orElseThrow();
        String datacenter = cassandra.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().stream()
                .filter(e -> e.getName().equals("CASSANDRA_DC")).findFirst().orElseThrow().getValue();
        int nodes = cassandra.getSpec().getReplicas();
        assertThat(config.path("PARLEY_CASSANDRA_REPLICATION").asText())
                .isEqualTo("NetworkTopologyStrategy:" + datacenter + "=" + Math.min(nodes, 3));
        assertThat(config.path("PARLEY_CASSANDRA_DATACENTER").asText()).isEqualTo(datacenter);
        assertThat(config.path("PARLEY_CASSANDRA_CONTACT_POINTS").asText().split(",")).as("every node a contact point")
                .hasSize(nodes);
        assertThat(job.getSpec().getTemplate().getSpec().getVolumes().get(0).getProjected().getSources())
                .anySatisfy(source -> assertThat(source.getSecret().getName()).isEqualTo("cassandra-tls"));
        assertThat(container.getVolumeMounts().get(0).getMountPath() + "/cassandra-ca.crt")
                .isEqualTo(config.path("PARLEY_CASSANDRA_CA_CERT").asText());
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void alertsAndTheDashboardUseOnlyMetricsThatAreExportedAndScrapeWhatExportsThem(String overlay) throws Exception {
        List<ObjectNode> objects = ManifestTree.build(overlay);
        StringBuilder expressions = new StringBuilder();
        all(objects, "PrometheusRule", PrometheusRule.class).forEach(rule -> rule.getSpec().getGroups()
                .forEach(g -> g.getRules().forEach(r -> expressions.append(r.getExpr().getStrVal()).append('\n'))));
        JsonNode dashboard = ManifestTree.MAPPER.readTree(objects.stream()
                .filter(o -> o.path("metadata").path("name").asText().equals("parley-dashboard")).findFirst().orElseThrow()
                .path("data").path("parley.json").asText());
        dashboard.path("panels").forEach(p -> p.path("targets").forEach(t -> expressions.append(t.path("expr").asText()).append('\n')));
        assertThat(expressions).as("alerts and panels").contains("parley_function_events_seconds_bucket");

        // Each parley_* series must be one the code registers (Micrometer adds _total, _seconds_bucket and the like).
        String sources = sources(ManifestTree.MANIFESTS.resolveSibling("connection-tier/src/main"))
                + sources(ManifestTree.MANIFESTS.resolveSibling("functions/hosting/src/main"));
        // Labels that PodMonitors copy from the pods (parley.im/function becomes parley_im_function) are not series.
        Set<String> podLabels = all(objects, "PodMonitor", PodMonitor.class).stream()
                .flatMap(m -> java.util.Objects.requireNonNullElse(m.getSpec().getPodTargetLabels(), List.<String>of()).stream())
                .map(label -> label.replaceAll("[./-]", "_")).collect(Collectors.toSet());
        java.util.regex.Matcher series = java.util.regex.Pattern.compile("parley_[a-z_]+").matcher(expressions);
        while (series.find()) {
            if (podLabels.contains(series.group())) {
                continue;
            }
            String meter = series.group().replaceAll("(_seconds)?(_bucket|_count|_sum)$", "").replaceAll("_total$", "");
            assertThat(sources).as(series.group() + " is exported by the tier or the functions").contains("\"" + meter + "\"");
        }
        // The kafka_* series come from Strimzi's Kafka exporter, which the Kafka resource must turn on, and be scraped.
        assertThat(expressions).contains("kafka_consumergroup_lag");
        ObjectNode kafka = objects.stream().filter(o -> o.path("kind").asText().equals("Kafka")).findFirst().orElseThrow();
        assertThat(kafka.path("spec").path("kafkaExporter").path("groupRegex").asText()).isEqualTo("knative-trigger-.*");
        List<PodMonitor> monitors = all(objects, "PodMonitor", PodMonitor.class);
        assertThat(monitors).extracting(m -> m.getMetadata().getName())
                .containsExactlyInAnyOrder("parley-functions", "connection-tier", "kafka-exporter", "kafka-brokers");
        // The brokers' series come from Strimzi's metrics reporter: each one used must be on its allow list.
        List<String> allowed = new java.util.ArrayList<>();
        kafka.path("spec").path("kafka").path("metricsConfig").path("values").path("allowList").forEach(a -> allowed.add(a.asText()));
        assertThat(kafka.path("spec").path("kafka").path("metricsConfig").path("type").asText()).isEqualTo("strimziMetricsReporter");
        java.util.regex.Matcher brokerSeries = java.util.regex.Pattern.compile("\\b(kafka_(?:server|network|controller)_[a-z_]+)").matcher(expressions);
        int brokerMetrics = 0;
        while (brokerSeries.find()) {
            String used = brokerSeries.group(1);
            assertThat(allowed).as(used + " is on the metrics reporter's allow list").anyMatch(used::matches);
            brokerMetrics++;
        }
        assertThat(brokerMetrics).isPositive();
        // Scraped where the pods really serve: the tier's admin port, the function container's port.
        StatefulSet tier = all(objects, "StatefulSet", StatefulSet.class).stream()
                .filter(st -> st.getMetadata().getName().equals("connection-tier")).findFirst().orElseThrow();
        assertThat(tier.getSpec().getTemplate().getSpec().getContainers().get(0).getPorts())
                .anySatisfy(p -> assertThat(p.getName()).isEqualTo("admin"));
        assertThat(tier.getSpec().getTemplate().getMetadata().getLabels()).containsEntry("app.kubernetes.io/name", "connection-tier");
    }

    static String sources(Path root) throws Exception {
        try (Stream<Path> files = Files.walk(root)) {
            StringBuilder all = new StringBuilder();
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                all.append(Files.readString(f));
            }
            return all.toString();
        }
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void deadLettersGoToAStrimziTopicThatNoSinkOwns(String overlay) {
        List<ObjectNode> objects = ManifestTree.build(overlay);
        Map<String, JsonNode> kafkaTopics = objects.stream().filter(o -> o.path("kind").asText().equals("KafkaTopic"))
                .collect(Collectors.toMap(o -> o.path("spec").path("topicName").asText(), o -> o));
        List<ObjectNode> sinks = objects.stream().filter(o -> o.path("kind").asText().equals("KafkaSink")).toList();
        assertThat(sinks).isNotEmpty().allSatisfy(sink -> {
            // With either field set, Knative creates the topic itself and deletes it with the sink.
            assertThat(sink.path("spec").has("numPartitions") || sink.path("spec").has("replicationFactor"))
                    .as(ManifestTree.name(sink) + " leaves partitions and replicas to its KafkaTopic").isFalse();
            assertThat(kafkaTopics).as(ManifestTree.name(sink) + "'s topic is a KafkaTopic")
                    .containsKey(sink.path("spec").path("topic").asText());
        });
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void knativesOwnConfigMapsArePatchedNeverShippedWhole(String overlay) throws Exception {
        assertThat(ManifestTree.build(overlay)).as("an overlay would replace Knative's ConfigMap and drop its other keys")
                .noneMatch(o -> o.path("metadata").path("namespace").asText().equals("knative-eventing")
                        && o.path("metadata").path("name").asText().startsWith("config-"));
        try (Stream<Path> patches = Files.list(ManifestTree.KNATIVE_PATCHES)) {
            assertThat(patches.toList()).hasSize(2).allSatisfy(p -> assertThat(Kustomization.readObjects(p)).singleElement()
                    .satisfies(o -> {
                        assertThat(o.path("kind").asText()).isEqualTo("ConfigMap");
                        assertThat(o.path("metadata").path("namespace").asText()).isEqualTo("knative-eventing");
                        assertThat(o.path("data").size()).as(p + " sets one key").isEqualTo(1);
                    }));
        }
        assertThat(Kustomization.readObjects(ManifestTree.KNATIVE_PATCHES.resolve("config-kafka-features.yaml")))
                .singleElement().satisfies(o -> assertThat(o.path("data").path("controller-autoscaler-keda").asText())
                        .isEqualTo("enabled"));
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void theMessagePathIsOrderedAndEveryTriggerHasADeadLetterSink(String overlay) {
        EventingManifests eventing = EventingManifests.from(ManifestTree.build(overlay));
        for (TriggerDefinition t : eventing.triggers()) {
            if (MESSAGE_PATH.contains(t.service())) {
                assertThat(t.ordered()).as(t.name()).isTrue();
            }
            assertThat(t.delivery().deadLetterTopic()).as(t.name()).isEqualTo("knative-parley-dead-letters");
            // Retries must outlast a cold start of a function scaled to zero.
            long retryWindowMillis = 0;
            for (int n = 1; n <= t.delivery().retry(); n++) {
                retryWindowMillis += t.delivery().delayBeforeRetry(n).toMillis();
            }
            assertThat(retryWindowMillis).as(t.name()).isGreaterThanOrEqualTo(10_000);
        }
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void functionsCanScaleToZeroAndAreProbedAndBounded(String overlay) {
        for (Service s : all(ManifestTree.build(overlay), "Service", Service.class)) {
            Map<String, String> annotations = s.getSpec().getTemplate().getMetadata().getAnnotations();
            assertThat(annotations).containsEntry("autoscaling.knative.dev/class", "kpa.autoscaling.knative.dev")
                    .containsKeys("autoscaling.knative.dev/min-scale", "autoscaling.knative.dev/max-scale");
            var container = s.getSpec().getTemplate().getSpec().getContainers().get(0);
            assertThat(container.getReadinessProbe()).isNotNull();
            assertThat(container.getLivenessProbe()).isNotNull();
            assertThat(container.getResources().getRequests()).containsKeys("cpu", "memory");
            assertThat(container.getResources().getLimits()).containsKey("memory");
            assertThat(s.getSpec().getTemplate().getSpec().getContainerConcurrency()).isPositive();
        }
    }

    /** Every container of every workload asks for what it uses; long-running ones say when they can serve. */
    @ParameterizedTest
    @MethodSource("overlays")
    void everyWorkloadsContainersHaveResourcesAndTheLongRunningOnesAReadinessProbe(String overlay) {
        List<ObjectNode> objects = ManifestTree.build(overlay);
        Map<String, List<io.fabric8.kubernetes.api.model.Container>> longRunning = new java.util.TreeMap<>();
        all(objects, "StatefulSet", StatefulSet.class).forEach(w -> longRunning.put("StatefulSet/" + w.getMetadata().getName(),
                w.getSpec().getTemplate().getSpec().getContainers()));
        all(objects, "Service", Service.class).forEach(w -> longRunning.put("Service/" + w.getMetadata().getName(),
                w.getSpec().getTemplate().getSpec().getContainers()));
        Map<String, List<io.fabric8.kubernetes.api.model.Container>> every = new java.util.TreeMap<>(longRunning);
        all(objects, "Job", io.fabric8.kubernetes.api.model.batch.v1.Job.class).forEach(w -> every.put(
                "Job/" + w.getMetadata().getName(), w.getSpec().getTemplate().getSpec().getContainers()));
        assertThat(every).as("workloads").hasSizeGreaterThanOrEqualTo(12);
        every.forEach((workload, containers) -> containers.forEach(c -> {
            String where = overlay + ": " + workload + " container " + c.getName();
            assertThat(c.getResources()).as(where + " resources").isNotNull();
            assertThat(c.getResources().getRequests()).as(where + " requests").containsKeys("cpu", "memory");
            assertThat(c.getResources().getLimits()).as(where + " memory limit").containsKey("memory");
            if (longRunning.containsKey(workload)) {
                assertThat(c.getReadinessProbe()).as(where + " readiness probe").isNotNull();
            }
        }));
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void theConnectionTierDrainsGracefullyAndHasItsNetworkingAndBudget(String overlay) {
        List<ObjectNode> objects = ManifestTree.build(overlay);
        StatefulSet tier = all(objects, "StatefulSet", StatefulSet.class).stream()
                .filter(s -> s.getMetadata().getName().equals("connection-tier")).findFirst().orElseThrow();
        assertThat(tier.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv())
                .as("production logs are JSON lines").anySatisfy(e -> {
                    assertThat(e.getName()).isEqualTo("PARLEY_LOG_FORMAT");
                    assertThat(e.getValue()).isEqualTo("json");
                });
        var container = tier.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(container.getLifecycle().getPreStop().getExec().getCommand()).isNotEmpty();
        assertThat(String.join(" ", container.getCommand())).contains("ulimit -n 1048576");
        assertThat(container.getEnv()).anyMatch(e -> e.getName().equals("PARLEY_NODE_ID")
                && e.getValueFrom().getFieldRef().getFieldPath().equals("metadata.name"));
        assertThat(tier.getSpec().getTemplate().getSpec().getTerminationGracePeriodSeconds()).isGreaterThanOrEqualTo(40);
        // Production tokens: an https JWKS, an issuer and an audience (the tier refuses to start without one).
        assertThat(container.getEnv()).extracting(e -> e.getName())
                .contains("PARLEY_JWKS_URL", "PARLEY_JWT_ISSUER", "PARLEY_JWT_AUDIENCE").doesNotContain("PARLEY_JWT_SECRET");
        JsonNode tierConfig = objects.stream().filter(o -> o.path("kind").asText().equals("ConfigMap")
                && o.path("metadata").path("name").asText().equals("connection-tier")).findFirst().orElseThrow();
        assertThat(tierConfig.path("data").path("jwks-url").asText()).startsWith("https://");
        assertThat(tierConfig.path("data").path("jwt-audience").asText()).isNotBlank();
        JsonNode headless = objects.stream().filter(o -> ManifestTree.key(o).equals("v1 Service")
                && o.path("metadata").path("name").asText().equals(tier.getSpec().getServiceName())).findFirst().orElseThrow();
        assertThat(headless.path("spec").path("clusterIP").asText()).isEqualTo("None");
        assertThat(objects).anyMatch(o -> o.path("kind").asText().equals("PodDisruptionBudget")
                && o.path("spec").path("selector").path("matchLabels").path("app.kubernetes.io/name").asText().equals("connection-tier"));
    }

    /** Every Trigger's dispatcher presents a token for its function's audience, which only that function takes. */
    @ParameterizedTest
    @MethodSource("overlays")
    void onlyTheDispatchersOfAFunctionsTriggersMaySendItEvents(String overlay) {
        List<ObjectNode> objects = ManifestTree.build(overlay);
        Map<String, String> audiences = new java.util.HashMap<>();
        for (Service s : all(objects, "Service", Service.class)) {
            assertThat(s.getMetadata().getLabels()).as(s.getMetadata().getName())
                    .containsEntry("networking.knative.dev/visibility", "cluster-local");
            var env = s.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv();
            String audience = env.stream().filter(e -> e.getName().equals("PARLEY_EVENT_AUDIENCE")).map(e -> e.getValue())
                    .findFirst().orElseThrow(() -> new AssertionError(s.getMetadata().getName() + " has no PARLEY_EVENT_AUDIENCE"));
            assertThat(audiences.put(audience, s.getMetadata().getName())).as("one audience per function").isNull();
        }
        for (Trigger t : triggers(objects)) {
            assertThat(audiences.get(t.getSpec().getSubscriber().getAudience())).as(t.getMetadata().getName())
                    .isEqualTo(service(t));
        }
        JsonNode config = objects.stream().filter(o -> o.path("kind").asText().equals("ConfigMap")
                && o.path("metadata").path("name").asText().equals("parley-functions")).findFirst().orElseThrow();
        assertThat(config.path("data").path("PARLEY_EVENT_ISSUER").asText()).startsWith("https://");
        assertThat(config.path("data").path("PARLEY_EVENT_SENDERS").asText())
                .isEqualTo("system:serviceaccount:parley:*-oidc-eventing.knative.dev-trigger");
        assertThat(Kustomization.readObjects(ManifestTree.KNATIVE_PATCHES.resolve("config-features.yaml")))
                .singleElement().satisfies(o -> assertThat(o.path("data").path("authentication-oidc").asText()).isEqualTo("enabled"));
        // And only Knative's data plane reaches function pods at all.
        List<NetworkPolicy> policies = all(objects, "NetworkPolicy", NetworkPolicy.class);
        assertThat(policies).anySatisfy(p -> {
            assertThat(p.getMetadata().getNamespace()).isEqualTo("parley");
            assertThat(p.getSpec().getPodSelector().getMatchExpressions()).anySatisfy(e -> {
                assertThat(e.getKey()).isEqualTo("serving.knative.dev/service");
                assertThat(e.getOperator()).isEqualTo("Exists");
            });
            assertThat(p.getSpec().getPolicyTypes()).containsExactly("Ingress");
            assertThat(p.getSpec().getIngress()).singleElement().satisfies(rule -> assertThat(rule.getFrom())
                    .extracting(peer -> peer.getNamespaceSelector().getMatchLabels().get("kubernetes.io/metadata.name"))
                    .containsExactlyInAnyOrder("knative-eventing", "knative-serving"));
        });
    }

    static JsonNode object(List<ObjectNode> objects, String kind, String name) {
        return objects.stream().filter(o -> o.path("kind").asText().equals(kind)
                && o.path("metadata").path("name").asText().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + "/" + name));
    }

    static String env(io.fabric8.kubernetes.api.model.Container container, String name) {
        return container.getEnv().stream().filter(e -> e.getName().equals(name)).map(e -> e.getValue()).findFirst()
                .orElseThrow(() -> new AssertionError(container.getName() + " has no " + name));
    }

    static io.fabric8.kubernetes.api.model.SecretKeySelector secretOf(io.fabric8.kubernetes.api.model.Container container,
                                                                      String name) {
        return container.getEnv().stream().filter(e -> e.getName().equals(name) && e.getValueFrom() != null)
                .map(e -> e.getValueFrom().getSecretKeyRef()).findFirst()
                .orElseThrow(() -> new AssertionError(container.getName() + ": " + name + " is not from a Secret"));
    }

    /** The file is in a volume the container mounts, and that volume holds the given Secret. */
    static void mountedFromSecret(List<io.fabric8.kubernetes.api.model.Volume> volumes,
                                  io.fabric8.kubernetes.api.model.Container container, String file, String secret) {
        var mount = container.getVolumeMounts().stream().filter(m -> file.startsWith(m.getMountPath() + "/")).findFirst()
                .orElseThrow(() -> new AssertionError(container.getName() + ": nothing mounted at " + file));
        var volume = volumes.stream().filter(v -> v.getName().equals(mount.getName())).findFirst().orElseThrow();
        List<String> secrets = volume.getSecret() != null ? List.of(volume.getSecret().getSecretName())
                : volume.getProjected().getSources().stream().filter(source -> source.getSecret() != null)
                .map(source -> source.getSecret().getName()).toList();
        assertThat(secrets).as(file).contains(secret);
    }

    /**
     * Every client of a store logs in and talks TLS: the tier to Kafka (SCRAM as its KafkaUser) and to Redis (an
     * ACL user), the functions to Redis and Cassandra; the stores refuse anything else; clients reach the tier over
     * TLS only.
     */
    @ParameterizedTest
    @MethodSource("overlays")
    void everyConnectionCarriesCredentialsOverTls(String overlay) {
        List<ObjectNode> objects = ManifestTree.build(overlay);
        StatefulSet tierSet = all(objects, "StatefulSet", StatefulSet.class).stream()
                .filter(s -> s.getMetadata().getName().equals("connection-tier")).findFirst().orElseThrow();
        var pod = tierSet.getSpec().getTemplate().getSpec();
        var tier = pod.getContainers().get(0);

        // Kafka: the listener the tier dials is TLS with SCRAM, and the tier is the KafkaUser of its Secret.
        JsonNode kafka = object(objects, "Kafka", "parley");
        String bootstrapPort = env(tier, "PARLEY_KAFKA_BOOTSTRAP").replaceAll(".*:", "");
        assertThat(kafka.path("spec").path("kafka").path("listeners")).anySatisfy(listener -> {
            assertThat(listener.path("port").asText()).isEqualTo(bootstrapPort);
            assertThat(listener.path("tls").asBoolean()).isTrue();
            assertThat(listener.path("authentication").path("type").asText()).isEqualTo("scram-sha-512");
        });
        assertThat(env(tier, "PARLEY_KAFKA_SECURITY_PROTOCOL")).isEqualTo("SASL_SSL");
        assertThat(env(tier, "PARLEY_KAFKA_SASL_MECHANISM")).isEqualTo("SCRAM-SHA-512");
        String kafkaUser = env(tier, "PARLEY_KAFKA_USERNAME");
        KafkaUser user = all(objects, "KafkaUser", KafkaUser.class).stream()
                .filter(u -> u.getMetadata().getName().equals(kafkaUser)).findFirst().orElseThrow();
        String watched = kafka.path("spec").path("entityOperator").path("userOperator").path("watchedNamespace").asText();
        assertThat(all(objects, "KafkaUser", KafkaUser.class)).allSatisfy(u -> assertThat(u.getMetadata().getNamespace())
                .as("Strimzi writes a user's Secret in the namespace it watches").isEqualTo(watched));
        assertThat(tierSet.getMetadata().getNamespace()).as("the tier reads its KafkaUser's Secret").isEqualTo(watched);
        assertThat(secretOf(tier, "PARLEY_KAFKA_PASSWORD").getName()).isEqualTo(user.getMetadata().getName());
        assertThat(secretOf(tier, "PARLEY_KAFKA_PASSWORD").getKey()).isEqualTo("password");
        mountedFromSecret(pod.getVolumes(), tier, env(tier, "PARLEY_KAFKA_CA_CERT"), "parley-cluster-ca-cert");

        // Redis: TLS only, ACL users only, and the tier is one of them.
        StatefulSet redisSet = all(objects, "StatefulSet", StatefulSet.class).stream()
                .filter(s -> s.getMetadata().getName().equals("redis")).findFirst().orElseThrow();
        var redis = redisSet.getSpec().getTemplate().getSpec().getContainers().get(0);
        String args = String.join(" ", redis.getArgs());
        assertThat(args).contains("--port 0", "--tls-port 6379", "--aclfile /etc/redis/users/users.acl");
        mountedFromSecret(redisSet.getSpec().getTemplate().getSpec().getVolumes(), redis, "/etc/redis/users/users.acl", "redis-users");
        mountedFromSecret(redisSet.getSpec().getTemplate().getSpec().getVolumes(), redis, "/etc/redis/tls/tls.key", "redis-tls");
        assertThat(env(tier, "PARLEY_REDIS_URI")).isEqualTo("rediss://connection-tier:$(PARLEY_REDIS_PASSWORD)@redis:6379");
        assertThat(secretOf(tier, "PARLEY_REDIS_PASSWORD").getName()).isEqualTo("redis-users");
        assertThat(tier.getEnv()).extracting(e -> e.getName()).as("defined before the URI that uses it")
                .containsSubsequence("PARLEY_REDIS_PASSWORD", "PARLEY_REDIS_URI");
        mountedFromSecret(pod.getVolumes(), tier, env(tier, "PARLEY_REDIS_CA_CERT"), "redis-tls");

        // Cassandra: logins, grants and client TLS, not optional.
        String cassandra = object(objects, "ConfigMap", "cassandra").path("data").path("cassandra.yaml").asText();
        assertThat(cassandra).contains("authenticator: PasswordAuthenticator", "authorizer: CassandraAuthorizer",
                "client_encryption_options:\n  enabled: true\n  optional: false");

        // Functions: their secrets come from parley-functions, their CAs from the stores' TLS Secrets.
        JsonNode config = object(objects, "ConfigMap", "parley-functions").path("data");
        assertThat(config.has("PARLEY_REDIS_URI")).as("the Redis URI carries a password: a Secret's").isFalse();
        for (Service s : all(objects, "Service", Service.class)) {
            var spec = s.getSpec().getTemplate().getSpec();
            var function = spec.getContainers().get(0);
            assertThat(function.getEnvFrom()).as(s.getMetadata().getName())
                    .anyMatch(from -> from.getSecretRef() != null && from.getSecretRef().getName().equals("parley-functions"));
            mountedFromSecret(spec.getVolumes(), function, config.path("PARLEY_REDIS_CA_CERT").asText(), "redis-tls");
            mountedFromSecret(spec.getVolumes(), function, config.path("PARLEY_CASSANDRA_CA_CERT").asText(), "cassandra-tls");
        }

        // Clients: wss:// on 443, TLS ending in the tier with a certificate from a Secret.
        JsonNode balancer = object(objects, "Service", "connection-tier");
        assertThat(balancer.path("spec").path("type").asText()).isEqualTo("LoadBalancer");
        assertThat(balancer.path("spec").path("ports").get(0).path("port").asInt()).isEqualTo(443);
        mountedFromSecret(pod.getVolumes(), tier, env(tier, "PARLEY_TLS_CERT"), "connection-tier-tls");
        mountedFromSecret(pod.getVolumes(), tier, env(tier, "PARLEY_TLS_KEY"), "connection-tier-tls");
    }

    /** A write an attempt starts within its budget ends before the dispatcher gives up and retries. */
    @ParameterizedTest
    @MethodSource("overlays")
    void everyAttemptStopsWritingBeforeItsTriggerRetries(String overlay) {
        List<ObjectNode> objects = ManifestTree.build(overlay);
        JsonNode config = objects.stream().filter(o -> o.path("kind").asText().equals("ConfigMap")
                && o.path("metadata").path("name").asText().equals("parley-functions")).findFirst().orElseThrow();
        Duration budget = Duration.parse(config.path("data").path("PARLEY_ATTEMPT_BUDGET").asText());
        for (TriggerDefinition t : EventingManifests.load(ManifestTree.MANIFESTS.resolve(overlay)).triggers()) {
            assertThat(t.delivery().timeout()).as(t.name() + "'s timeout").isNotNull()
                    .isGreaterThanOrEqualTo(budget.plus(Attempt.STORE_REQUEST_LIMIT));
        }
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void theLocalRuntimeAcceptsTheOverlay(String overlay) {
        EventingManifests eventing = EventingManifests.load(ManifestTree.MANIFESTS.resolve(overlay));
        // One Trigger per broker type and consuming function, but on the message broker one per consuming function,
        // for all its types.
        assertThat(eventing.triggers()).hasSize((int) CATALOG.types().stream().filter(t -> "broker".equals(t.channel()))
                .flatMap(t -> t.consumers().stream().map(c -> c + " " + ("messages".equals(t.broker()) ? "" : t.type())))
                .distinct().count());
        assertThat(eventing.topics()).containsEntry("knative-broker-parley-messages", 24)
                .containsEntry("knative-broker-parley-default", 24).containsEntry("knative-parley-dead-letters", 6);
        assertThat(eventing.triggers().stream().filter(t -> t.broker().equals("messages")).map(TriggerDefinition::name))
                .as("the message broker is read by the message path's one Trigger only")
                .containsExactly("messaging-message-sent");
    }
}
