package im.parley.manifests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import im.parley.eventing.Actor;
import im.parley.eventing.EventTypes;
import im.parley.eventing.Events;
import im.parley.eventing.broker.KafkaBrokerSink;
import im.parley.eventing.broker.KafkaSecurity;
import im.parley.eventing.knative.KnativeNames;
import im.parley.eventing.message.ContentType;
import im.parley.eventing.message.MessageSent;
import im.parley.eventing.presence.PresenceReported;
import im.parley.eventing.presence.PresenceState;
import im.parley.stack.KafkaServer;
import io.strimzi.api.kafka.model.user.KafkaUser;
import io.strimzi.api.kafka.model.user.KafkaUserAuthorizationSimple;
import io.strimzi.api.kafka.model.user.acl.AclRule;
import io.strimzi.api.kafka.model.user.acl.AclRuleClusterResource;
import io.strimzi.api.kafka.model.user.acl.AclRuleGroupResource;
import io.strimzi.api.kafka.model.user.acl.AclRuleTopicResource;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The production KafkaUsers, enforced by a real broker as Strimzi would set them up: SCRAM-SHA-512 over TLS, and
 * each user's ACLs exactly as the manifests declare them. Only the tier and Knative's data plane write the broker
 * topics; the tier writes nothing else and reads nothing; KEDA only looks.
 */
class KafkaUsersIT {

    static final String MESSAGES = KnativeNames.brokerTopic("parley", "messages");
    static final String DEFAULT = KnativeNames.brokerTopic("parley", "default");
    static final String DEAD_LETTERS = "knative-parley-dead-letters";
    static final String TRIGGER_GROUP = "knative-trigger-parley-messaging-message-sent";

    static KafkaServer kafka;
    static final Map<String, String> passwords = new HashMap<>();

    @BeforeAll
    static void start() throws Exception {
        kafka = KafkaServer.secured();
        kafka.start();
        for (String topic : List.of(MESSAGES, DEFAULT, DEAD_LETTERS)) {
            kafka.createTopic(topic, 2);
        }
        List<ObjectNode> objects = ManifestTree.build("overlays/production");
        List<AclBinding> bindings = new ArrayList<>();
        for (KafkaUser user : ManifestConsistencyTest.all(objects, "KafkaUser", KafkaUser.class)) {
            String name = user.getMetadata().getName();
            assertThat(user.getSpec().getAuthentication().getType()).as(name).isEqualTo("scram-sha-512");
            passwords.put(name, UUID.randomUUID().toString());
            kafka.addScramUser(name, passwords.get(name));
            for (AclRule rule : ((KafkaUserAuthorizationSimple) user.getSpec().getAuthorization()).getAcls()) {
                for (var operation : rule.getOperations()) {
                    bindings.add(new AclBinding(pattern(rule), new AccessControlEntry("User:" + name, "*",
                            kafkaOperation(operation.toValue()), AclPermissionType.ALLOW)));
                }
            }
        }
        try (Admin admin = kafka.admin()) {
            admin.createAcls(bindings).all().get(30, TimeUnit.SECONDS);
        }
        assertThat(passwords).containsOnlyKeys("connection-tier", "knative-eventing");
    }

    @AfterAll
    static void stop() {
        if (kafka != null) {
            kafka.stop();
        }
    }

    static ResourcePattern pattern(AclRule rule) {
        if (rule.getResource() instanceof AclRuleTopicResource topic) {
            return new ResourcePattern(ResourceType.TOPIC, topic.getName(), patternType(topic.getPatternType().toValue()));
        }
        if (rule.getResource() instanceof AclRuleGroupResource group) {
            return new ResourcePattern(ResourceType.GROUP, group.getName(), patternType(group.getPatternType().toValue()));
        }
        assertThat(rule.getResource()).isInstanceOf(AclRuleClusterResource.class);
        return new ResourcePattern(ResourceType.CLUSTER, "kafka-cluster", PatternType.LITERAL);
    }

    /** Strimzi's prefix and literal are Kafka's PREFIXED and LITERAL. */
    static PatternType patternType(String strimzi) {
        return strimzi.equals("prefix") ? PatternType.PREFIXED : PatternType.valueOf(strimzi.toUpperCase(Locale.ROOT));
    }

    /** Strimzi's IdempotentWrite is Kafka's IDEMPOTENT_WRITE. */
    static AclOperation kafkaOperation(String strimzi) {
        return AclOperation.valueOf(strimzi.replaceAll("([a-z])([A-Z])", "$1_$2").toUpperCase(Locale.ROOT));
    }

    static KafkaSecurity as(String user, String password) {
        return new KafkaSecurity("SASL_SSL", "SCRAM-SHA-512", user, password, kafka.certificates().certPem().toString());
    }

    static Map<String, Object> client(KafkaSecurity security) {
        Map<String, Object> config = new HashMap<>(security.clientProperties());
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.secureBootstrapServers());
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 10_000);
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        return config;
    }

    static void produce(KafkaSecurity security, String topic) throws Exception {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(client(security), new StringSerializer(),
                new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(topic, "k", new byte[] {1})).get(15, TimeUnit.SECONDS);
        }
    }

    static void consume(KafkaSecurity security, String topic, String group) {
        Map<String, Object> config = client(security);
        config.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (consumer.assignment().isEmpty() && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200));
            }
            assertThat(consumer.assignment()).as("joined " + group).isNotEmpty();
        }
    }

    static Throwable cause(Throwable failure) {
        return failure instanceof ExecutionException ? failure.getCause() : failure;
    }

    @Test
    void theTierProducesItsEventsOverTlsWithScramAndNothingElse() throws Exception {
        KafkaSecurity tier = as("connection-tier", passwords.get("connection-tier"));
        Actor ann = new Actor("ann", "phone", "node-1");
        try (KafkaBrokerSink sink = new KafkaBrokerSink(kafka.secureBootstrapServers(), tier, "parley", "node-1",
                Duration.ofSeconds(10))) {
            sink.publish(Events.create(EventTypes.MESSAGE_SENT, new MessageSent("d:ann:ben", "c1", ContentType.TEXT, "hi"),
                    ann, URI.create("/parley/nodes/node-1"))).toCompletableFuture().get(15, TimeUnit.SECONDS);
            sink.publish(Events.create(EventTypes.PRESENCE_REPORTED, new PresenceReported(PresenceState.AWAY), ann,
                    URI.create("/parley/nodes/node-1"))).toCompletableFuture().get(15, TimeUnit.SECONDS);
        }
        assertThatThrownBy(() -> produce(tier, DEAD_LETTERS)).extracting(KafkaUsersIT::cause)
                .as("not a topic the tier writes").isInstanceOf(TopicAuthorizationException.class);
        assertThatThrownBy(() -> consume(tier, MESSAGES, TRIGGER_GROUP))
                .as("the tier reads nothing").isInstanceOfAny(TopicAuthorizationException.class, GroupAuthorizationException.class);
    }

    @Test
    void knativesDataPlaneWritesAndReadsTheBrokerTopicsInItsTriggerGroups() throws Exception {
        KafkaSecurity knative = as("knative-eventing", passwords.get("knative-eventing"));
        produce(knative, DEFAULT);
        produce(knative, DEAD_LETTERS);
        consume(knative, MESSAGES, TRIGGER_GROUP);
        assertThatThrownBy(() -> consume(knative, MESSAGES, "someone-else"))
                .as("only Trigger groups").isInstanceOf(GroupAuthorizationException.class);
    }

    @Test
    void kedaReadsTheLagWithTheBrokersCredentialsAndNobodyGetsInWithoutTheirPasswordOrTheClustersCertificate()
            throws Exception {
        // Knative gives each ScaledObject a TriggerAuthentication built from the Broker's secret, so the lag scaler
        // reads the Trigger group's committed offsets and the topic's partitions as knative-eventing.
        try (Admin admin = Admin.create(client(as("knative-eventing", passwords.get("knative-eventing"))))) {
            admin.listConsumerGroupOffsets(TRIGGER_GROUP).partitionsToOffsetAndMetadata().get(15, TimeUnit.SECONDS);
            assertThat(admin.describeTopics(List.of(MESSAGES)).allTopicNames().get(15, TimeUnit.SECONDS)).containsKey(MESSAGES);
        }
        assertThatThrownBy(() -> produce(as("connection-tier", "not-the-password"), MESSAGES)).extracting(KafkaUsersIT::cause)
                .isInstanceOf(SaslAuthenticationException.class);
        KafkaSecurity untrusted = new KafkaSecurity("SASL_SSL", "SCRAM-SHA-512", "connection-tier",
                passwords.get("connection-tier"), null);
        assertThatThrownBy(() -> produce(untrusted, MESSAGES)).as("a certificate the JVM does not trust is refused")
                .isNotNull();
    }
}
