package im.parley.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.driver.api.core.CqlSession;
import com.fasterxml.jackson.databind.JsonNode;
import im.parley.cassandra.CqlMigrations;
import im.parley.eventing.catalog.EventCatalog;
import im.parley.stack.RedisServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * README command 1, end to end: ./parley up prints progress and its URLs, every server really answers there,
 * Ctrl-C stops everything it started, and the next start finds the data again.
 */
class LocalStackUpIT {

    private static final int OFFSET = 700;
    private static final Duration START = Duration.ofSeconds(240);
    private static final String TOPIC = "knative-broker-parley-default";
    /** Where these machines have Temurin 25 (docs/decisions/0050). */
    private static final Path JDK_25 = Path.of("/usr/lib/jvm/temurin-25-jdk-amd64");

    @TempDir
    Path dataDir;

    @Test
    void startsEverythingStopsEverythingAndKeepsTheData() throws Exception {
        String marker = UUID.randomUUID().toString();
        try (ParleyUp up = ParleyUp.start(dataDir, OFFSET)) {
            up.awaitLine("Parley is up.", START);
            // The addresses follow the ready line; the web chat's, from the last part started, is the last of them.
            up.awaitLine("Health and metrics", Duration.ofSeconds(10));
            up.awaitLine("sign in as any user name", Duration.ofSeconds(10));
            List<String> out = up.output();
            for (String part : List.of("Kafka", "Redis", "Cassandra", "Push sandbox", "Eventing", "Connection tier", "Web chat")) {
                assertThat(out).anyMatch(l -> l.matches("\\[\\d/7] " + part + " +starting"));
                assertThat(out).anyMatch(l -> l.matches("\\[\\d/7] " + part + " +ready in .*"));
            }
            assertThat(out).anyMatch(l -> l.contains("ws://127.0.0.1:" + (18080 + OFFSET) + "/ws"));
            assertThat(out).anyMatch(l -> l.contains("APNs sandbox") && l.contains("https://localhost:"));
            try (Socket first = Socket.connect(18080 + OFFSET, token("alice", "phone"), "phone")) {
                assertThat(first.await("welcome").path("d").path("userId").asText()).isEqualTo("alice");
            }
            assertThat(out).anyMatch(l -> l.contains("Kafka bootstrap") && l.contains(kafka()));
            assertThat(out).anyMatch(l -> l.contains("redis://127.0.0.1:" + (16379 + OFFSET)));
            assertThat(out).anyMatch(l -> l.contains("Cassandra (CQL)") && l.contains(":" + (19042 + OFFSET)));
            // One Trigger per broker type and consuming function, product functions' included, but on the message
            // broker one per consuming function, for all its types.
            int triggers = (int) EventCatalog.shared().types().stream().filter(t -> "broker".equals(t.channel()))
                    .flatMap(t -> t.consumers().stream().map(c -> c + " " + ("messages".equals(t.broker()) ? "" : t.type())))
                    .distinct().count();
            assertThat(out).anyMatch(l -> l.matches(" *Eventing +" + triggers + " of " + triggers + " triggers dispatched.*"));
            // A message from socket to socket: connection tier, the message broker's topic, messaging (sequence|persist|fanout), delivery stream.
            try (Socket bob = Socket.open(18080 + OFFSET, token("bob", "phone"), "phone");
                 Socket alice = Socket.open(18080 + OFFSET, token("alice", "phone"), "phone")) {
                // 1:1 chats need friendship: friend request and accept through the friend function first.
                long asked = System.nanoTime();
                alice.send("{\"v\":1,\"t\":\"friend.request\",\"d\":{\"userId\":\"bob\",\"message\":\"hi\"}}");
                assertThat(bob.await("friend").path("d").path("change").asText()).isEqualTo("requested");
                // The social functions are warm at up: no polling interval and no cold start before the first.
                assertThat(Duration.ofNanos(System.nanoTime() - asked)).isLessThan(Duration.ofSeconds(2));
                bob.send("{\"v\":1,\"t\":\"friend.accept\",\"d\":{\"userId\":\"alice\"}}");
                alice.await("friend", "change", "accepted");
                String clientMsgId = "e2e-" + marker.substring(0, 8);
                alice.send("{\"v\":1,\"t\":\"send\",\"id\":\"s1\",\"d\":{\"conversationId\":\"d:alice:bob\","
                        + "\"clientMsgId\":\"" + clientMsgId + "\",\"contentType\":\"text\",\"content\":\"hello bob\"}}");
                JsonNode ack = alice.await("ack");
                assertThat(ack.path("d").path("clientMsgId").asText()).isEqualTo(clientMsgId);
                assertThat(ack.path("d").path("serverSeq").asLong()).isEqualTo(1);
                JsonNode msg = bob.await("msg");
                assertThat(msg.path("d").path("content").asText()).isEqualTo("hello bob");
                assertThat(msg.path("d").path("serverSeq").asLong()).isEqualTo(1);
                assertThat(msg.path("d").path("sender").path("userId").asText()).isEqualTo("alice");
            }
            String metrics = httpGet("http://127.0.0.1:" + (18082 + OFFSET) + "/metrics");
            assertThat(metrics).contains("parley_trigger_lag{trigger=\"messaging-message-sent\"}");
            for (String warm : List.of("friend-request-requested", "group-create-requested", "sync-requested",
                    "receipt-read", "presence-connection-opened")) {
                assertThat(metrics).as(warm).containsPattern("parley_trigger_replicas\\{trigger=\"" + warm + "\"} [1-9]");
            }

            // The web chat page, the client it runs on, and its development sign-in.
            String web = "http://127.0.0.1:" + (18084 + OFFSET);
            assertThat(out).anyMatch(l -> l.contains("Web chat") && l.contains(web + "/"));
            assertThat(httpGet(web + "/")).contains("<title>Parley</title>");
            assertThat(httpGet(web + "/sdk/index.js")).contains("ParleyClient");
            String signIn = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create(web + "/token")).POST(java.net.http.HttpRequest.BodyPublishers.ofString("user=alice"))
                    .build(), java.net.http.HttpResponse.BodyHandlers.ofString()).body();
            assertThat(signIn).contains("\"token\":\"ey", "ws://127.0.0.1:" + (18080 + OFFSET) + "/ws");

            // ./parley trace record, as an operator runs it: a short chat day driven over sockets, recorded per Trigger.
            Path trace = dataDir.resolve("day.trace.json");
            List<String> recorded = parley("trace", "record", "--out", trace.toString(), "--seconds", "10", "--drive", "8",
                    "--pairs", "4", "--group", "4", "--ws", "127.0.0.1:" + (18080 + OFFSET), "--data-dir", dataDir.toString(),
                    "--metrics", "http://127.0.0.1:" + (18082 + OFFSET) + "/metrics");
            String drove = recorded.stream().filter(l -> l.startsWith("drove ")).findFirst().orElseThrow();
            assertThat(drove).endsWith(" 0 error frames");
            long sent = Long.parseLong(drove.split(" ")[1]);
            assertThat(sent).isPositive();
            JsonNode day = new com.fasterxml.jackson.databind.ObjectMapper().readTree(trace.toFile());
            Map<String, Double> events = new java.util.HashMap<>();
            day.path("triggers").forEach(t -> {
                double sum = 0;
                for (JsonNode r : t.path("rates")) {
                    sum += r.asDouble() * day.path("stepSeconds").asDouble();
                }
                events.put(t.path("name").asText(), sum);
                assertThat(t.path("serviceMs")).as(t.path("name").asText()).isNotEmpty();
            });
            // Every send is a message.sent and follows a typing; every message delivered is read. Arrivals are
            // estimated from the lag, which the types a Trigger filters out share: a few either way.
            assertThat(events.get("messaging-message-sent")).isBetween(0.7 * sent, 1.3 * sent + 3);
            assertThat(events.get("typing-sent")).isBetween(0.7 * sent, 1.3 * sent + 3);
            assertThat(events).containsKey("receipt-read");

            try (Admin admin = admin()) {
                assertThat(admin.describeTopics(List.of(TOPIC)).allTopicNames().get(30, TimeUnit.SECONDS)
                        .get(TOPIC).partitions()).hasSize(12);
            }
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka(), ProducerConfig.ACKS_CONFIG, "all"),
                    new StringSerializer(), new StringSerializer())) {
                producer.send(new ProducerRecord<>(TOPIC, "d:a:b", marker)).get(30, TimeUnit.SECONDS);
            }
            assertThat(redis("SET e2e:marker " + marker)).isEqualTo("+OK");
            try (CqlSession cql = cql()) {
                assertThat(cql.execute("SELECT count(*) FROM parley.schema_migrations").one().getLong(0))
                        .isEqualTo(CqlMigrations.load().size());
                cql.execute("INSERT INTO parley.conversation_seq (conversation_id, last_seq) VALUES ('" + marker + "', 7)");
            }

            List<ProcessHandle> children = up.children();
            assertThat(children).hasSizeGreaterThanOrEqualTo(3);
            // The launcher runs on JDK 25 where the machine has it, with compact object headers, as the function
            // images do, and Kafka with it; Cassandra on the JDK 17 that `java` is. No JDK warning reaches the
            // terminal.
            List<ProcessHandle> all = new java.util.ArrayList<>(children);
            all.add(up.handle());
            Path java17 = Path.of(System.getProperty("java.home"), "bin", "java").toRealPath();
            assertThat(javaOf(running(all, "org.apache.cassandra.service.CassandraDaemon"))).isEqualTo(java17);
            if (Files.isDirectory(JDK_25)) {
                ProcessHandle launcher = running(all, "im.parley.launcher.LocalLauncher");
                assertThat(javaOf(launcher)).isEqualTo(JDK_25.resolve("bin/java").toRealPath());
                assertThat(commandLine(launcher)).contains("-XX:+UseCompactObjectHeaders");
                ProcessHandle kafka = running(all, "kafka.Kafka");
                assertThat(javaOf(kafka)).isEqualTo(JDK_25.resolve("bin/java").toRealPath());
                assertThat(commandLine(kafka)).contains("-XX:+UseCompactObjectHeaders");
            }
            assertThat(out).noneMatch(l -> l.startsWith("WARNING:"));
            assertThat(up.interrupt(Duration.ofSeconds(90))).isIn(0, 130);
            List<String> stopping = up.output().subList(up.output().indexOf("Stopping Parley"), up.output().size());
            // Users before what they use, and nothing alarming on the way: the servers are in sessions of
            // their own, so Ctrl-C reaches them only through the launcher.
            List<String> stopped = stopping.stream().filter(l -> l.contains("stopped in"))
                    .map(l -> l.trim().split(" {2,}")[0]).toList();
            assertThat(stopped).hasSize(7);
            assertThat(stopped.subList(0, 4)).containsExactly("Web chat", "Connection tier", "Eventing", "Push sandbox");
            // The servers started side by side, so they stop in the reverse of whichever order they came up.
            assertThat(stopped.subList(4, 7)).containsExactlyInAnyOrder("Cassandra", "Kafka", "Redis");
            assertThat(stopping).noneMatch(l -> l.contains(" WARN ") || l.contains(" ERROR ") || l.contains("Exception"));
            for (ProcessHandle child : children) {
                child.onExit().get(10, TimeUnit.SECONDS);
                assertThat(child.isAlive()).as("pid %d left running", child.pid()).isFalse();
            }
        }

        assertThat(Files.exists(dataDir.resolve("kafka/logs/meta.properties"))).isTrue();
        try (ParleyUp again = ParleyUp.start(dataDir, OFFSET)) {
            again.awaitLine("Parley is up.", START);
            try (CqlSession cql = cql()) {
                assertThat(cql.execute("SELECT last_seq FROM parley.conversation_seq WHERE conversation_id = '"
                        + marker + "'").one().getLong(0)).isEqualTo(7);
            }
            assertThat(redis("GET e2e:marker")).isEqualTo("$" + marker.length());
            assertThat(awaitOnBrokerTopic(marker)).as("the marker record survived the restart").isTrue();
            again.interrupt(Duration.ofSeconds(90));
        }
    }

    private static ProcessHandle running(List<ProcessHandle> processes, String mainClass) {
        return processes.stream().filter(p -> commandLine(p).contains(mainClass)).findFirst()
                .orElseThrow(() -> new AssertionError(mainClass + " is not among " + processes));
    }

    /** From /proc: ProcessHandle.Info leaves out the arguments of a command line as long as a server's classpath. */
    private static List<String> commandLine(ProcessHandle process) {
        try {
            return List.of(Files.readString(Path.of("/proc", Long.toString(process.pid()), "cmdline")).split("\0"));
        } catch (java.io.IOException e) {
            return List.of();
        }
    }

    private static Path javaOf(ProcessHandle process) throws java.io.IOException {
        return Path.of("/proc", Long.toString(process.pid()), "exe").toRealPath();
    }

    /** A ./parley command run to its end, as a user runs it; its output lines. */
    private static List<String> parley(String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("bash", ParleyUp.REPO.resolve("parley").toString()));
        command.addAll(List.of(args));
        return Commands.run(ParleyUp.REPO, Map.of(), Duration.ofSeconds(120), command).lines().toList();
    }

    /** ./parley token, as a developer would run it. */
    private String token(String user, String device) throws Exception {
        Process p = new ProcessBuilder("bash", ParleyUp.REPO.resolve("parley").toString(), "token", "--data-dir",
                dataDir.toString(), user, device).directory(ParleyUp.REPO.toFile()).start();
        String token = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();
        return token;
    }

    private static boolean awaitOnBrokerTopic(String fragment) {
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka(),
                ConsumerConfig.GROUP_ID_CONFIG, "e2e-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(TOPIC));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < deadline) {
                for (var r : consumer.poll(Duration.ofMillis(250))) {
                    if (r.value() != null && r.value().contains(fragment)) {
                        return true;
                    }
                }
            }
            return false;
        }
    }

    private static String kafka() {
        return "127.0.0.1:" + (19092 + OFFSET);
    }

    private static Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka()));
    }

    private static CqlSession cql() {
        return CqlSession.builder().addContactPoint(new InetSocketAddress("127.0.0.1", 19042 + OFFSET))
                .withLocalDatacenter("datacenter1").build();
    }

    private static String redis(String command) {
        return RedisServer.command(16379 + OFFSET, command);
    }

    private static String httpGet(String url) throws Exception {
        return java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(url))
                .build(), java.net.http.HttpResponse.BodyHandlers.ofString()).body();
    }
}
