package im.parley.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import im.parley.client.Message;
import im.parley.client.ParleyClient;
import im.parley.functions.hosting.FunctionHttpServer;
import im.parley.stack.CassandraServer;
import im.parley.stack.KafkaServer;
import im.parley.stack.Ports;
import im.parley.stack.RedisServer;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Traffic keeps flowing while the messaging service's process (sequence|persist|fanout) is killed (SIGKILL) and
 * started again, and then Redis is flushed. The devices run the Java client (clients/java), which resends what is
 * not acked with the same clientMsgId and fills gaps from history. Afterwards: every acked message is stored exactly once, seqs are contiguous and
 * never reused, and every device saw its messages in order, showing each once.
 */
@LocalStack
class ChaosIT {

    static final Map<String, List<String>> CONVERSATIONS = Map.of(
            "d:ana:bo", List.of("ana", "bo"), "d:cy:di", List.of("cy", "di"), "g:chaos", List.of("ana", "bo", "cy", "di"));

    static FullStack stack;
    static RedisServer redis;
    static Map<String, String> functionEnv;
    static int messagingPort;
    static Process messaging;

    @BeforeAll
    static void start(KafkaServer kafka, RedisServer redisServer, CassandraServer cassandra) throws Exception {
        redis = redisServer;
        functionEnv = FullStack.functionEnvironment("chaos", redis, cassandra);
        messagingPort = Ports.free();
        stack = FullStack.start("chaos", kafka, redis, cassandra,
                Map.of("messaging", URI.create("http://127.0.0.1:" + messagingPort + "/")));
        messaging = startMessaging();
        try (var session = stack.cql()) {
            session.execute("INSERT INTO groups (group_id, name, version, last_applied) VALUES ('chaos', 'Chaos', 1, true)");
            for (String member : CONVERSATIONS.get("g:chaos")) {
                session.execute("INSERT INTO group_members (group_id, user_id, role) VALUES ('chaos', '" + member + "', 'member')");
            }
            for (String[] pair : new String[][] {{"ana", "bo"}, {"bo", "ana"}, {"cy", "di"}, {"di", "cy"}}) {
                session.execute("INSERT INTO friends (user_id, friend_id) VALUES (?, ?)", (Object[]) pair);
            }
        }
    }

    @AfterAll
    static void stop() {
        if (messaging != null) {
            messaging.destroyForcibly();
        }
        if (stack != null) {
            stack.close();
        }
    }

    /** The messaging service as its own process, the way a Knative Service runs it. */
    static Process startMessaging() throws Exception {
        String classpath = String.join(File.pathSeparator, "target/test-classes", "target/classes",
                Files.readString(Path.of("target/test.classpath")).trim());
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:TieredStopAtLevel=1", "-cp", classpath, FunctionHttpServer.class.getName())
                .redirectErrorStream(true).redirectOutput(new File("target/chaos-messaging.log"));
        builder.environment().putAll(functionEnv);
        builder.environment().put("PORT", String.valueOf(messagingPort));
        builder.environment().put("PARLEY_FUNCTION", "messaging");
        builder.environment().putAll(FullStack.senderSettings(stack.eventing, "messaging"));
        Process process = builder.start();
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + messagingPort + "/health/ready")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return process;
                }
            } catch (java.io.IOException notYet) {
                // still starting
            }
            if (!process.isAlive()) {
                throw new IllegalStateException("messaging exited; see target/chaos-messaging.log");
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("messaging did not become ready; see target/chaos-messaging.log");
    }

    /**
     * A device on the Java client (clients/java): it resends what is not acked with the same clientMsgId, fills gaps
     * from history, and shows each message once and in seq order. What it was shown and its acks are kept.
     */
    static final class Device implements ParleyClient.Listener {
        final String user;
        final ParleyClient client;
        final List<Message> shown = new CopyOnWriteArrayList<>();
        final Map<String, Long> acks = new ConcurrentHashMap<>();

        Device(String user) throws Exception {
            this.user = user;
            this.client = ParleyClient.builder(stack.webSocket(), "phone", () -> FullStack.token(user)).listener(this)
                    .backoff(Duration.ofMillis(200), Duration.ofSeconds(2)).build();
            client.connect().get(30, TimeUnit.SECONDS);
        }

        void send(String conversation, String clientMsgId) {
            client.send(conversation, "chaos " + clientMsgId, "text", clientMsgId)
                    .thenAccept(ack -> acks.put(conversation + "/" + clientMsgId, ack.serverSeq()));
        }

        @Override
        public void onMessage(Message message) {
            shown.add(message);
        }
    }

    @Test
    void nothingAckedIsLostNothingIsShownTwiceAndNoSeqIsReused() throws Exception {
        Map<String, Device> devices = new LinkedHashMap<>();
        for (String user : List.of("ana", "bo", "cy", "di")) {
            devices.put(user, new Device(user));
        }
        Random random = new Random(7);
        List<String> conversations = new ArrayList<>(new TreeMap<>(CONVERSATIONS).keySet());
        List<String> unacked = new ArrayList<>();
        Map<String, Integer> sent = new HashMap<>();
        long start = System.nanoTime();
        boolean killed = false;
        boolean restarted = false;
        boolean flushed = false;
        int n = 0;
        try {
            while (seconds(start) < 20) {
                String conversation = conversations.get(random.nextInt(conversations.size()));
                List<String> members = CONVERSATIONS.get(conversation);
                Device sender = devices.get(members.get(random.nextInt(members.size())));
                String id = "c" + n++;
                sender.send(conversation, id);
                unacked.add(conversation + "/" + id);
                sent.merge(conversation, 1, Integer::sum);
                Thread.sleep(20);
                if (!killed && seconds(start) > 4) {
                    messaging.destroyForcibly().waitFor();
                    killed = true;
                }
                if (killed && !restarted && seconds(start) > 6) {
                    messaging = startMessaging();
                    restarted = true;
                }
                if (restarted && !flushed && seconds(start) > 12) {
                    redis.flushAll();
                    flushed = true;
                }
            }
            long lastSend = System.nanoTime();
            long deadline = lastSend + Duration.ofSeconds(90).toNanos();
            while (!unacked.isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(200);
                devices.values().forEach(d -> unacked.removeIf(d.acks::containsKey));
            }
            System.out.printf("chaos: %d sent, the last acked %.1f s after the last send; the message Trigger:%n%s%n", n,
                    seconds(lastSend), counters());
            assertThat(unacked).as(() -> unacked.size() + " of " + sent.values().stream().mapToInt(i -> i).sum()
                    + " never acked; runtime counters:\n" + counters()).isEmpty();
            assertThat(counter("parley_trigger_retries_total{trigger=\"messaging-message-sent\"}"))
                    .as("the kill hit messages in flight, which were retried").isPositive();
            Thread.sleep(1_000);

            for (String conversation : conversations) {
                Map<Long, String> stored = history(devices.get(CONVERSATIONS.get(conversation).get(0)), conversation);
                assertThat(stored.keySet()).as("contiguous seqs in " + conversation)
                        .containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, stored.size()).boxed().toList());
                assertThat(stored.values()).as("each message stored once in " + conversation).doesNotHaveDuplicates();
                assertThat(stored).as("every message sent to " + conversation).hasSize(sent.get(conversation));
                for (Device device : devices.values()) {
                    device.acks.forEach((key, seq) -> {
                        if (key.startsWith(conversation + "/")) {
                            assertThat(stored.get(seq)).as("ack of " + key).isEqualTo(key.substring(conversation.length() + 1));
                        }
                    });
                    List<Message> seen = device.shown.stream()
                            .filter(m -> m.conversationId().equals(conversation)).toList();
                    List<Long> seqs = seen.stream().map(Message::serverSeq).toList();
                    assertThat(seqs).as(device.user + " is shown " + conversation + " in order, each once").isSorted()
                            .doesNotHaveDuplicates();
                    seen.forEach(m -> assertThat(m.clientMsgId()).as("seq reused in " + conversation)
                            .isEqualTo(stored.get(m.serverSeq())));
                }
            }
            System.out.printf("chaos: messages shown per device: %s%n",
                    devices.values().stream().map(d -> d.user + "=" + d.shown.size()).toList());
        } finally {
            devices.values().forEach(d -> d.client.close());
        }
    }

    /** The runtime's per-Trigger outcome counters of the message path, to tell where messages stopped. */
    static String counters() {
        return stack.eventing.metrics().scrape().lines().filter(l -> !l.startsWith("#") && l.contains("_total")
                && l.contains("messaging-")).collect(
                java.util.stream.Collectors.joining("\n"));
    }

    static double counter(String series) {
        return stack.eventing.metrics().scrape().lines().filter(l -> l.startsWith(series + " ")).mapToDouble(
                l -> Double.parseDouble(l.substring(series.length() + 1))).sum();
    }

    static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }

    /** The stored conversation, seq to clientMsgId, paged from history. */
    static Map<Long, String> history(Device reader, String conversation) throws Exception {
        Map<Long, String> stored = new TreeMap<>();
        long after = 0;
        for (int page = 0; page < 100; page++) {
            List<Message> messages = reader.client.history(conversation, after, 500).get(15, TimeUnit.SECONDS);
            for (Message m : messages) {
                stored.put(m.serverSeq(), m.clientMsgId());
                after = m.serverSeq();
            }
            if (messages.size() < 500) {
                break;
            }
        }
        return stored;
    }
}
