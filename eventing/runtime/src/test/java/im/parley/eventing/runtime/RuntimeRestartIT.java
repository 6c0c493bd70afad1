package im.parley.eventing.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import im.parley.eventing.binding.KafkaBinding;
import im.parley.eventing.runtime.RecordingSubscriber.Answer;
import im.parley.stack.KafkaServer;
import im.parley.stack.ManagedProcess;
import im.parley.stack.Ports;
import im.parley.stack.junit.LocalStack;
import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The runtime is killed (SIGKILL) in the middle of a stream and started again: nothing is lost, order holds. */
@LocalStack
class RuntimeRestartIT {

    static final int EVENTS = 3000;
    static final int KEYS = 30;

    @TempDir
    Path dir;

    @BeforeAll
    static void start(KafkaServer kafka) {
        EventingRuntimeIT.start(kafka);
    }

    @Test
    void aKilledRuntimeLosesNothingAndKeepsOrderPerKey() throws Exception {
        TestManifests m = new TestManifests("restart", 3).trigger("ordered", """
                kafka.eventing.knative.dev/delivery.order: ordered
                """, """
                subscriber:
                  uri: %s
                """);
        try (RecordingSubscriber subscriber = new RecordingSubscriber()) {
            subscriber.answer(r -> Answer.accepted().after(Duration.ofMillis(1)));
            Path manifests = m.write(dir.resolve("m"));
            Files.writeString(manifests.resolve("triggers.yaml"),
                    Files.readString(manifests.resolve("triggers.yaml")).formatted(subscriber.uri()));

            ManagedProcess first = runtime(manifests, "first");
            Map<String, List<Integer>> sentByKey = new HashMap<>();
            for (int i = 0; i < EVENTS; i++) {
                String key = "d:u" + (i % KEYS) + ":v";
                sentByKey.computeIfAbsent(key, k -> new ArrayList<>()).add(i);
                EventingRuntimeIT.producer.send(KafkaBinding.toRecord(m.topic(),
                        EventingRuntimeIT.event("e" + i, "test.restart", key)));
            }
            EventingRuntimeIT.producer.flush();
            EventingRuntimeIT.await(() -> subscriber.received.size() >= EVENTS / 4, "a quarter delivered");
            first.kill();
            int beforeCrash = subscriber.received.size();

            ManagedProcess second = runtime(manifests, "second");
            try {
                EventingRuntimeIT.await(() -> new LinkedHashSet<>(subscriber.ids()).size() == EVENTS, "every event delivered");
            } finally {
                second.stop(Duration.ofSeconds(20));
            }
            assertThat(beforeCrash).isLessThan(EVENTS);

            // At least once: every event arrived; a replay repeats a suffix but never skips.
            Map<String, List<Integer>> firstSeenByKey = new HashMap<>();
            Set<String> seen = new LinkedHashSet<>();
            for (RecordingSubscriber.Received r : subscriber.received) {
                if (seen.add(r.event().getId())) {
                    int n = Integer.parseInt(r.event().getId().substring(1));
                    firstSeenByKey.computeIfAbsent((String) r.event().getExtension("partitionkey"), k -> new ArrayList<>()).add(n);
                }
            }
            assertThat(seen).hasSize(EVENTS);
            assertThat(firstSeenByKey).isEqualTo(sentByKey);
            int replayed = subscriber.received.size() - EVENTS;
            System.out.printf("restart: %d delivered before the kill, %d replayed after it%n", beforeCrash, replayed);
        }
    }

    private ManagedProcess runtime(Path manifests, String name) throws Exception {
        String classpath = String.join(File.pathSeparator, "target/classes", "target/test-classes",
                Files.readString(Path.of("target/test.classpath")).trim());
        int metrics = Ports.free();
        ManagedProcess process = new ManagedProcess("eventing-runtime-" + name, dir.resolve(name + ".log"));
        process.start(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                        "-cp", classpath, EventingRuntime.class.getName()),
                Map.of("PARLEY_KAFKA_BOOTSTRAP", EventingRuntimeIT.kafka.bootstrapServers(),
                        "PARLEY_MANIFESTS", manifests.toString(),
                        "PARLEY_METRICS_PORT", Integer.toString(metrics),
                        "PARLEY_SESSION_TIMEOUT_MS", "6000"),
                Path.of("."), () -> ready(metrics), Duration.ofSeconds(60));
        return process;
    }

    private static boolean ready(int port) {
        try {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health/ready"))
                    .build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (Exception e) {
            return false;
        }
    }
}
