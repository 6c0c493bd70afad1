package im.parley.eventing.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import im.parley.eventing.binding.HttpBinding;
import im.parley.eventing.binding.KafkaBinding;
import im.parley.eventing.runtime.RecordingSubscriber.Answer;
import im.parley.eventing.runtime.dispatch.DispatchSettings;
import im.parley.eventing.runtime.scaling.HpaBehavior;
import im.parley.stack.KafkaServer;
import im.parley.stack.junit.LocalStack;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Knative Kafka Broker semantics of the local runtime, against a real Kafka. */
@LocalStack
class EventingRuntimeIT {

    static final Duration WAIT = Duration.ofSeconds(30);
    static final String ECHO = TestFunctions.ECHO;
    static final String SINK = TestFunctions.SINK;

    static KafkaServer kafka;
    static KafkaProducer<String, byte[]> producer;

    @TempDir
    Path dir;

    @BeforeAll
    static void start(KafkaServer kafkaServer) {
        kafka = kafkaServer;
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new ByteArraySerializer());
    }

    @AfterAll
    static void stop() {
        if (producer != null) {
            producer.close();
        }
    }

    /** Scaling tests run the HPA's rules ten times faster than a cluster does. */
    static final HpaBehavior FAST_HPA = HpaBehavior.kubernetesDefaults().scaled(0.1);

    static RuntimeSettings settings(Path manifests, Map<String, URI> urls, List<String> functions) {
        return new RuntimeSettings(kafka.bootstrapServers(), manifests, urls, new TestFunctions(Set.copyOf(functions)),
                DispatchSettings.defaults(), FAST_HPA, "127.0.0.1", 0, 0);
    }

    static EventingRuntime run(Path manifests, Map<String, URI> urls, List<String> functions) throws Exception {
        EventingRuntime runtime = EventingRuntime.start(settings(manifests, urls, functions));
        runtime.awaitReady(WAIT);
        return runtime;
    }

    static CloudEvent event(String id, String type, String key) {
        CloudEventBuilder b = CloudEventBuilder.v1().withId(id).withSource(URI.create("/test")).withType(type)
                .withData("application/json", ("{\"id\":\"" + id + "\"}").getBytes(StandardCharsets.UTF_8));
        if (key != null) {
            b.withExtension("partitionkey", key);
        }
        return b.build();
    }

    static void produce(String topic, CloudEvent event) throws Exception {
        producer.send(KafkaBinding.toRecord(topic, event)).get();
    }

    static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(20);
        }
    }

    static List<ConsumerRecord<String, byte[]>> readAll(String topic, int expected) throws InterruptedException {
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()), new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (records.size() < expected && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(100)).forEach(records::add);
            }
            consumer.poll(Duration.ofMillis(300)).forEach(records::add);
        }
        return records;
    }

    @Test
    void filtersSelectEventsAsKnativeDoes() throws Exception {
        TestManifests m = new TestManifests("filters", 2)
                .trigger("by-attributes", null, """
                        filter:
                          attributes:
                            type: im.parley.message.sent
                            source: ""
                        subscriber:
                          uri: %s
                        """)
                .trigger("by-dialects", null, """
                        filter:
                          attributes:
                            type: ignored.when.filters.present
                        filters:
                          - prefix:
                              type: im.parley.friend.
                          - not:
                              suffix:
                                type: .removed
                          - any:
                              - exact:
                                  subject: vip
                              - cesql: "partitionkey LIKE 'f:%%' AND id <> 'f3'"
                        subscriber:
                          uri: %s
                        """);
        try (RecordingSubscriber attributes = new RecordingSubscriber(); RecordingSubscriber dialects = new RecordingSubscriber()) {
            Path manifests = write(m, attributes.uri(), dialects.uri());
            try (EventingRuntime runtime = run(manifests, Map.of(), List.of())) {
                produce(m.topic(), event("m1", "im.parley.message.sent", "d:a:b"));
                produce(m.topic(), event("m2", "im.parley.message.persisted", "d:a:b"));
                produce(m.topic(), event("f1", "im.parley.friend.requested", "f:a:b"));
                produce(m.topic(), event("f2", "im.parley.friend.removed", "f:a:b"));
                produce(m.topic(), event("f3", "im.parley.friend.accepted", "f:a:b"));
                produce(m.topic(), CloudEventBuilder.v1(event("f4", "im.parley.friend.accepted", "u:x")).withSubject("vip").build());
                produce(m.topic(), event("f5", "im.parley.friend.accepted", "u:x"));
                produce(m.topic(), event("last", "im.parley.message.sent", "d:a:b"));

                await(() -> attributes.ids().containsAll(List.of("m1", "last")), "the attribute trigger to see m1 and last");
                assertThat(attributes.ids()).containsExactlyInAnyOrder("m1", "last");
                await(() -> dialects.ids().size() >= 2
                        && runtime.metrics().scrape().contains("parley_trigger_filtered_total{trigger=\"by-dialects\"} 6.0"),
                        "the dialect trigger to take two events and skip six");
                Thread.sleep(200);
                assertThat(dialects.ids()).containsExactlyInAnyOrder("f1", "f4");
            }
        }
    }

    @Test
    void orderedDeliveryHasOneEventInFlightPerPartitionAndUnorderedHasSeveral() throws Exception {
        TestManifests m = new TestManifests("order", 1)
                .trigger("ordered", "kafka.eventing.knative.dev/delivery.order: ordered", """
                        subscriber:
                          uri: %s
                        """)
                .trigger("unordered", "kafka.eventing.knative.dev/delivery.order: unordered", """
                        subscriber:
                          uri: %s
                        """);
        try (RecordingSubscriber ordered = new RecordingSubscriber(); RecordingSubscriber unordered = new RecordingSubscriber()) {
            ordered.answer(r -> Answer.accepted().after(Duration.ofMillis(30)));
            unordered.answer(r -> Answer.accepted().after(Duration.ofMillis(30)));
            try (EventingRuntime runtime = run(write(m, ordered.uri(), unordered.uri()), Map.of(), List.of())) {
                List<String> sent = new ArrayList<>();
                for (int i = 0; i < 40; i++) {
                    sent.add("e" + i);
                    producer.send(KafkaBinding.toRecord(m.topic(), event("e" + i, "test.ordering", "d:a:b")));
                }
                producer.flush();
                await(() -> ordered.received.size() == 40 && unordered.received.size() == 40, "both triggers to get all 40");
                assertThat(ordered.ids()).containsExactlyElementsOf(sent);
                assertThat(ordered.maxConcurrent()).isEqualTo(1);
                assertThat(unordered.ids()).containsExactlyInAnyOrderElementsOf(sent);
                assertThat(unordered.maxConcurrent()).isGreaterThan(5);
            }
        }
    }

    @Test
    void retriesWaitExactlyTheLinearOrExponentialBackoff() throws Exception {
        TestManifests m = new TestManifests("retries", 1)
                .trigger("linear", null, """
                        subscriber:
                          uri: %s
                        delivery:
                          retry: 3
                          backoffPolicy: linear
                          backoffDelay: PT0.2S
                        """)
                .trigger("exponential", null, """
                        subscriber:
                          uri: %s
                        delivery:
                          retry: 3
                          backoffPolicy: exponential
                          backoffDelay: PT0.1S
                        """);
        try (RecordingSubscriber linear = new RecordingSubscriber(); RecordingSubscriber exponential = new RecordingSubscriber()) {
            // Three retryable statuses, then success on the fourth and last attempt.
            int[] statuses = {503, 429, 404};
            linear.answer(r -> linear.attempt(r) <= 3 ? Answer.status(statuses[linear.attempt(r) - 1], "busy") : Answer.accepted());
            exponential.answer(r -> exponential.attempt(r) <= 3 ? Answer.status(500, "down") : Answer.accepted());
            try (EventingRuntime runtime = run(write(m, linear.uri(), exponential.uri()), Map.of(), List.of())) {
                produce(m.topic(), event("r1", "test.retry", "k"));
                await(() -> linear.received.size() == 4 && exponential.received.size() == 4, "four attempts each");
                assertGaps(gapsMillis(linear), 200, 400, 600);
                assertGaps(gapsMillis(exponential), 200, 400, 800);
                Thread.sleep(300);
                assertThat(linear.received).hasSize(4);
                assertThat(runtime.metrics().trigger("linear").retriesCount()).isEqualTo(3);
                assertThat(runtime.metrics().trigger("linear").deadLetters()).isZero();
            }
        }
    }

    static List<Long> gapsMillis(RecordingSubscriber s) {
        List<Long> gaps = new ArrayList<>();
        for (int i = 1; i < s.received.size(); i++) {
            gaps.add((s.received.get(i).nanos() - s.received.get(i - 1).nanos()) / 1_000_000);
        }
        return gaps;
    }

    static void assertGaps(List<Long> gaps, long... expected) {
        assertThat(gaps).hasSize(expected.length);
        for (int i = 0; i < expected.length; i++) {
            assertThat(gaps.get(i)).as("wait before retry %d", i + 1).isBetween(expected[i] - 5, expected[i] + 150);
        }
    }

    @Test
    void failedEventsReachTheDeadLetterTopicWithKnativeErrorExtensions() throws Exception {
        TestManifests m = new TestManifests("dead", 1)
                .trigger("failing", null, """
                        subscriber:
                          uri: %s
                        delivery:
                          retry: 2
                          backoffPolicy: linear
                          backoffDelay: PT0.05S
                          timeout: PT0.3S
                          # The Trigger's delivery replaces the Broker's whole, so it names the sink itself.
                          deadLetterSink:
                            ref: {apiVersion: eventing.knative.dev/v1alpha1, kind: KafkaSink, name: dead-letters}
                        """);
        try (RecordingSubscriber subscriber = new RecordingSubscriber()) {
            subscriber.answer(r -> switch (r.event().getId()) {
                case "bad-request" -> Answer.status(400, "field 'text' is required");
                case "always-down" -> Answer.status(503, "x".repeat(2000));
                case "too-slow" -> Answer.accepted().after(Duration.ofMillis(600));
                default -> Answer.accepted();
            });
            try (EventingRuntime runtime = run(write(m, subscriber.uri()), Map.of(), List.of())) {
                for (String id : List.of("bad-request", "always-down", "too-slow", "fine")) {
                    produce(m.topic(), event(id, "test.dead", "k"));
                }
                List<ConsumerRecord<String, byte[]>> dead = readAll(m.deadLetterTopic(), 3);
                assertThat(dead).hasSize(3);
                Map<String, CloudEvent> byId = new java.util.HashMap<>();
                dead.forEach(r -> byId.put(KafkaBinding.fromRecord(r).getId(), KafkaBinding.fromRecord(r)));
                String dest = subscriber.uri().toString();

                CloudEvent badRequest = byId.get("bad-request");
                assertThat(subscriber.of("bad-request")).as("a 400 is not retried").hasSize(1);
                assertThat(badRequest.getExtension("knativeerrorcode")).isEqualTo("400");
                assertThat(badRequest.getExtension("knativeerrordest")).isEqualTo(dest);
                assertThat(new String(Base64.getDecoder().decode((String) badRequest.getExtension("knativeerrordata"))))
                        .isEqualTo("field 'text' is required");
                assertThat(new String(badRequest.getData().toBytes())).isEqualTo("{\"id\":\"bad-request\"}");
                assertThat(dead.stream().filter(r -> r.value() != null && KafkaBinding.fromRecord(r).getId().equals("bad-request"))
                        .findFirst().orElseThrow().key()).as("the dead letter keeps its partition key").isEqualTo("k");

                CloudEvent down = byId.get("always-down");
                assertThat(subscriber.of("always-down")).as("retry 2 means three attempts").hasSize(3);
                assertThat(down.getExtension("knativeerrorcode")).isEqualTo("503");
                assertThat(Base64.getDecoder().decode((String) down.getExtension("knativeerrordata"))).hasSize(1024);

                CloudEvent slow = byId.get("too-slow");
                assertThat(subscriber.of("too-slow")).hasSize(3);
                assertThat(slow.getExtension("knativeerrorcode")).as("a timeout has no status").isNull();
                assertThat(slow.getExtension("knativeerrordest")).isEqualTo(dest);

                assertThat(byId).doesNotContainKey("fine");
                await(() -> runtime.metrics().trigger("failing").deadLetters() == 3, "three dead letters counted");
            }
        }
    }

    @Test
    void repliesGoBackToTheBrokerTopicWithTheirPartitionKeyFromInProcessAndHttpSubscribers() throws Exception {
        TestManifests m = new TestManifests("replies", 3)
                .trigger("echo-in-process", null, """
                        filter:
                          attributes:
                            type: test.ask
                        subscriber:
                          ref:
                            apiVersion: serving.knative.dev/v1
                            kind: Service
                            name: echo
                        """)
                .trigger("http-replier", null, """
                        filter:
                          attributes:
                            type: test.echoed
                        subscriber:
                          uri: %s
                        """)
                .trigger("final", null, """
                        filters:
                          - prefix:
                              type: test.answer.
                        subscriber:
                          uri: %s
                        """);
        try (RecordingSubscriber replier = new RecordingSubscriber(); RecordingSubscriber last = new RecordingSubscriber()) {
            // The HTTP subscriber answers in structured mode for one event and in binary mode for the other.
            replier.answer(r -> {
                CloudEvent answer = CloudEventBuilder.v1(r.event()).withId("answer-" + r.event().getId())
                        .withType(r.event().getId().endsWith("1") ? "test.answer.structured" : "test.answer.binary").build();
                return Answer.reply(r.event().getId().endsWith("1") ? HttpBinding.structured(answer) : HttpBinding.binary(answer));
            });
            try (EventingRuntime runtime = run(write(m, replier.uri(), last.uri()), Map.of(), List.of(ECHO))) {
                produce(m.topic(), event("q1", "test.ask", "d:alice:bob"));
                produce(m.topic(), event("q2", "test.ask", "g:team"));
                await(() -> last.received.size() == 2, "both answers at the end of the chain");

                assertThat(replier.ids()).containsExactlyInAnyOrder("echo-q1", "echo-q2");
                assertThat(replier.received).allSatisfy(r -> assertThat(r.headers()).containsEntry("prefer", "reply")
                        .containsKey("ce-id").doesNotContainKey("ce-knativeerrorcode"));
                assertThat(last.received).extracting(r -> r.event().getType())
                        .containsExactlyInAnyOrder("test.answer.structured", "test.answer.binary");
                List<ConsumerRecord<String, byte[]>> records = readAll(m.topic(), 6);
                assertThat(records).hasSize(6).allSatisfy(r -> {
                    CloudEvent e = KafkaBinding.fromRecord(r);
                    assertThat(r.key()).isEqualTo(e.getExtension("partitionkey"));
                    assertThat(r.key()).isEqualTo(e.getId().endsWith("q1") ? "d:alice:bob" : "g:team");
                });
                assertThat(runtime.functions().isRunning("echo")).isTrue();
            }
        }
    }

    /** A replica whose thread fails is replaced: it rejoins, and the event it died on is delivered again, in order. */
    @Test
    void aReplicaThatFailsRejoinsAndRedeliversWhatItHadNotCommitted() throws Exception {
        TestManifests m = new TestManifests("crash", 1).trigger("crash", "kafka.eventing.knative.dev/delivery.order: ordered", """
                subscriber:
                  ref:
                    apiVersion: serving.knative.dev/v1
                    kind: Service
                    name: crash
                """);
        try (EventingRuntime runtime = run(write(m), Map.of(), List.of(TestFunctions.CRASH))) {
            for (int i = 0; i < 5; i++) {
                produce(m.topic(), event("c" + i, "test.crash", "d:a:b"));
            }
            await(() -> TestFunctions.SURVIVED.size() >= 5, "all five after the replica's restart");
            assertThat(TestFunctions.SURVIVED).containsExactly("c0", "c1", "c2", "c3", "c4");
            assertThat(runtime.metrics().trigger("crash").replicaRestarts()).isEqualTo(1);
            assertThat(runtime.metrics().scrape()).contains("parley_trigger_replica_restarts_total");
        }
    }

    @Test
    void metricsAreServedForPrometheus() throws Exception {
        TestManifests m = new TestManifests("metrics", 1).trigger("counted", null, """
                subscriber:
                  uri: %s
                """);
        try (RecordingSubscriber subscriber = new RecordingSubscriber()) {
            try (EventingRuntime runtime = run(write(m, subscriber.uri()), Map.of(), List.of())) {
                produce(m.topic(), event("c1", "test.count", "k"));
                await(() -> subscriber.received.size() == 1, "the event delivered");
                await(() -> runtime.metrics().scrape().contains("outcome=\"succeeded\",trigger=\"counted\"} 1.0"), "the delivery counted");
                HttpResponse<String> scrape = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + runtime.metricsPort() + "/metrics")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(scrape.statusCode()).isEqualTo(200);
                assertThat(scrape.body()).contains("parley_trigger_deliveries_total{outcome=\"succeeded\",trigger=\"counted\"} 1.0",
                        "parley_trigger_lag{trigger=\"counted\"}", "parley_trigger_replicas{trigger=\"counted\"} 1.0",
                        "parley_trigger_retries_total{trigger=\"counted\"} 0.0",
                        "parley_trigger_deliveries_total{outcome=\"dead_lettered\",trigger=\"counted\"} 0.0");
            }
        }
    }

    private Path write(TestManifests m, URI... uris) throws Exception {
        Path path = m.write(dir.resolve(m.namespace));
        String triggers = java.nio.file.Files.readString(path.resolve("triggers.yaml"));
        java.nio.file.Files.writeString(path.resolve("triggers.yaml"), triggers.formatted((Object[]) uris));
        return path;
    }
}
