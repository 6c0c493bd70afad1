package im.parley.connection;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import im.parley.connection.auth.DevTokens;
import im.parley.eventing.Actor;
import im.parley.eventing.EventJson;
import im.parley.eventing.EventTypes;
import im.parley.eventing.Events;
import im.parley.eventing.PartitionKeys;
import im.parley.eventing.connection.ConnectionClosed;
import im.parley.eventing.delivery.DeliveryBatch;
import im.parley.eventing.delivery.DeliveryChannel;
import im.parley.eventing.message.DeviceRef;
import im.parley.eventing.message.MessageSent;
import im.parley.eventing.presence.PresenceRecords;
import im.parley.stack.KafkaServer;
import im.parley.stack.RedisServer;
import im.parley.stack.junit.LocalStack;
import io.cloudevents.CloudEvent;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The connection tier against real Kafka and Redis, through real WebSocket clients. */
@LocalStack
class ConnectionTierIT {

    static final String SECRET = TestSettings.SECRET;
    static final Duration WAIT = Duration.ofSeconds(15);

    static ConnectionTier tier;
    static KafkaServer kafka;
    static RedisServer redis;
    static Vertx vertx;
    static Redis redisClient;

    @BeforeAll
    static void start(KafkaServer kafkaServer, RedisServer redisServer) throws Exception {
        kafka = kafkaServer;
        redis = redisServer;
        // A slow refill (2/s) keeps the rate-limit test exact even on a loaded machine.
        tier = TestSettings.node("node-a", kafka, redis).rate(2, 10).outbound(64 * 1024).start();
        vertx = Vertx.vertx();
        redisClient = Redis.createClient(vertx, redis.uri());
    }

    @AfterAll
    static void stop() {
        if (tier != null) {
            tier.close();
        }
        if (vertx != null) {
            vertx.close();
        }
    }

    static WsClient connect(String user, String device) throws Exception {
        return connect(tier, user, device);
    }

    static WsClient connect(ConnectionTier node, String user, String device) throws Exception {
        WsClient client = WsClient.connect(node.port(),
                "token=" + DevTokens.mint(SECRET, user, null, Duration.ofMinutes(5)) + "&device=" + device);
        JsonNode welcome = client.awaitType("welcome");
        assertThat(welcome.path("d").path("userId").asText()).isEqualTo(user);
        return client;
    }

    @Test
    void tokensThatAreMissingExpiredOrForgedAreRefusedWithAReason() throws Exception {
        try (WsClient missing = WsClient.connect(tier.port(), "device=phone")) {
            assertThat(missing.awaitClose(WAIT)).isEqualTo(new WsClient.Closed(4401, "token missing"));
        }
        String expired = DevTokens.mint(SECRET, "alice", "phone", Duration.ofSeconds(-120));
        try (WsClient client = WsClient.connect(tier.port(), "token=" + expired)) {
            assertThat(client.awaitClose(WAIT)).isEqualTo(new WsClient.Closed(4401, "token expired"));
        }
        String forged = DevTokens.mint("some-other-secret-that-is-32-bytes-long!", "alice", "phone", Duration.ofMinutes(5));
        try (WsClient client = WsClient.connect(tier.port(), "token=" + forged)) {
            WsClient.Closed closed = client.awaitClose(WAIT);
            assertThat(closed.code()).isEqualTo(4401);
            assertThat(closed.reason()).startsWith("token invalid");
        }
        try (WsClient client = WsClient.connect(tier.port(), "token=not.a.jwt")) {
            assertThat(client.awaitClose(WAIT)).isEqualTo(new WsClient.Closed(4401, "token malformed"));
        }
    }

    @Test
    void aSentFrameBecomesOneCloudEventStampedWithTheAuthenticatedSenderAndKeyedByConversation() throws Exception {
        try (WsClient alice = connect("alice", "phone"); BrokerTopic broker = new BrokerTopic(kafka.bootstrapServers())) {
            alice.send("""
                    {"v":1,"t":"send","id":"r1","d":{"conversationId":"d:alice:bob","clientMsgId":"c-1",
                     "contentType":"text","content":"hello bob"}}""");
            BrokerTopic.Received received = broker.await(r -> r.event().getType().equals(EventTypes.MESSAGE_SENT.type())
                    && Events.data(EventTypes.MESSAGE_SENT, r.event()).clientMsgId().equals("c-1"), WAIT);

            CloudEvent event = received.event();
            assertThat(received.key()).isEqualTo("d:alice:bob");
            assertThat(Events.partitionKey(event)).isEqualTo("d:alice:bob");
            assertThat(Actor.of(event)).contains(new Actor("alice", "phone", "node-a"));
            assertThat(event.getSource().toString()).isEqualTo("/parley/connection-tier/node-a");
            assertThat(event.getDataSchema()).isEqualTo(EventTypes.MESSAGE_SENT.dataSchema());
            assertThat(Events.data(EventTypes.MESSAGE_SENT, event)).isEqualTo(new MessageSent("d:alice:bob", "c-1",
                    im.parley.eventing.message.ContentType.TEXT, "hello bob"));

            BrokerTopic.Received opened = broker.await(r -> r.event().getType().equals(EventTypes.CONNECTION_OPENED.type())
                    && Actor.of(r.event()).map(a -> a.userId().equals("alice")).orElse(false), WAIT);
            assertThat(opened.key()).isEqualTo(PartitionKeys.user("alice"));
        }
    }

    @Test
    void badFramesGetAnErrorCarryingTheRequestIdAndTheConnectionStaysOpen() throws Exception {
        try (WsClient alice = connect("alice", "tablet")) {
            alice.send("""
                    {"v":1,"t":"send","id":"spoof","d":{"conversationId":"d:alice:bob","clientMsgId":"c-2",
                     "contentType":"text","content":"hi","from":"mallory"}}""");
            JsonNode spoof = alice.awaitType("error");
            assertThat(spoof.path("id").asText()).isEqualTo("spoof");
            assertThat(spoof.path("d").path("code").asText()).isEqualTo("invalid");
            assertThat(spoof.path("d").path("reason").asText()).contains("from");

            alice.send("{\"v\":1,\"t\":\"send\",\"id\":\"r2\",\"d\":{\"conversationId\":\"d:alice:bob\"}}");
            JsonNode missing = alice.awaitType("error");
            assertThat(missing.path("id").asText()).isEqualTo("r2");
            assertThat(missing.path("d").path("reason").asText()).contains("clientMsgId");

            alice.send("{\"v\":1,\"t\":\"teleport\",\"id\":\"r3\",\"d\":{}}");
            assertThat(alice.awaitType("error").path("d").path("code").asText()).isEqualTo("unknown-type");
            alice.send("{\"v\":2,\"t\":\"send\",\"id\":\"r4\",\"d\":{}}");
            assertThat(alice.awaitType("error").path("d").path("code").asText()).isEqualTo("unsupported-version");
            alice.send("this is not json");
            assertThat(alice.awaitType("error").path("d").path("code").asText()).isEqualTo("malformed");

            alice.send("{\"v\":1,\"t\":\"ping\",\"id\":\"p1\"}");
            assertThat(alice.awaitType("pong").path("id").asText()).isEqualTo("p1");
            assertThat(alice.isOpen()).isTrue();
        }
    }

    @Test
    void deliveriesReachTheAddressedDevicesAndOnlyThem() throws Exception {
        try (WsClient alicePhone = connect("carol", "phone"); WsClient aliceLaptop = connect("carol", "laptop");
             WsClient bobPhone = connect("dave", "phone")) {
            JsonNode frame = EventJson.MAPPER.readTree("{\"v\":1,\"t\":\"msg\",\"d\":{\"text\":\"to you two\"}}");
            publishDelivery(tier.nodeId(), List.of(new DeviceRef("dave", "phone"), new DeviceRef("carol", "laptop")), frame);

            assertThat(bobPhone.awaitType("msg")).isEqualTo(frame);
            assertThat(aliceLaptop.awaitType("msg")).isEqualTo(frame);
            assertThat(alicePhone.drain(Duration.ofMillis(500))).noneMatch(f -> f.path("t").asText().equals("msg"));
        }
    }

    @Test
    void presenceIsRegisteredOnConnectAndRemovedOnClose() throws Exception {
        WsClient erin = connect("erin", "phone");
        assertThat(presence("erin")).containsEntry("phone", "node-a");
        erin.close();
        awaitTrue(() -> !presence("erin").containsKey("phone"), "erin's presence removed");
    }

    @Test
    void aDeviceThatConnectsAgainReplacesItsOlderSocket() throws Exception {
        try (WsClient first = connect("frank", "phone"); WsClient second = connect("frank", "phone")) {
            assertThat(first.awaitClose(WAIT)).isEqualTo(new WsClient.Closed(4409, "replaced by a newer connection"));
            assertThat(second.isOpen()).isTrue();
            assertThat(presence("frank")).containsEntry("phone", "node-a");
        }
    }

    @Test
    void framesBeyondTheRateLimitAreRefusedAndAFloodIsDisconnected() throws Exception {
        try (WsClient gina = connect("gina", "phone")) {
            for (int i = 0; i < 15; i++) {
                gina.send("{\"v\":1,\"t\":\"ping\",\"id\":\"p" + i + "\"}");
            }
            List<JsonNode> replies = gina.drain(Duration.ofMillis(800));
            assertThat(replies).filteredOn(f -> f.path("t").asText().equals("pong")).hasSizeBetween(10, 12);
            assertThat(replies).filteredOn(f -> f.path("d").path("code").asText().equals("rate-limited")).isNotEmpty();

            for (int i = 0; i < 40 && gina.trySend("{\"v\":1,\"t\":\"ping\"}"); i++) {
                // the server may close the flood before it ends
            }
            assertThat(gina.awaitClose(WAIT)).isEqualTo(new WsClient.Closed(4429, "rate limit exceeded"));
        }
    }

    @Test
    void aUserHasAtMostTenLiveDevicesAndTheEleventhIsClosedWith4403() throws Exception {
        List<WsClient> devices = new java.util.ArrayList<>();
        try {
            for (int i = 0; i < 10; i++) {
                devices.add(connect("otto", "d" + i));
            }
            try (WsClient eleventh = WsClient.connect(tier.port(),
                    "token=" + DevTokens.mint(SECRET, "otto", null, Duration.ofMinutes(5)) + "&device=d10")) {
                assertThat(eleventh.awaitClose(WAIT)).isEqualTo(new WsClient.Closed(4403, "at most 10 devices online at once"));
            }
            try (WsClient again = connect("otto", "d3")) { // a device reconnecting is not counted twice
                assertThat(again).isNotNull();
            }
        } finally {
            devices.forEach(WsClient::close);
        }
    }

    @Test
    void aFrameOverTheSizeLimitClosesWith1009() throws Exception {
        try (WsClient hal = connect("hal", "phone")) {
            hal.send("{\"v\":1,\"t\":\"send\",\"d\":{\"content\":\"" + "x".repeat(9 * 1024) + "\"}}");
            assertThat(hal.awaitClose(WAIT).code()).isEqualTo(1009);
        }
    }

    @Test
    void aClientThatNeverReadsIsDisconnectedAndServerMemoryStaysBounded() throws Exception {
        try (Socket raw = RawWebSocket.open(tier.port(), DevTokens.mint(SECRET, "ivy", "phone", Duration.ofMinutes(5)), "phone", 4096);
             BrokerTopic broker = new BrokerTopic(kafka.bootstrapServers())) {
            awaitTrue(() -> presence("ivy").containsKey("phone"), "ivy connected");
            JsonNode big = EventJson.MAPPER.readTree("{\"v\":1,\"t\":\"msg\",\"d\":{\"blob\":\"" + "y".repeat(16 * 1024) + "\"}}");
            // Far more than the socket buffers and the 64 KiB outbound limit can hold.
            for (int i = 0; i < 1500; i++) {
                publishDelivery(tier.nodeId(), List.of(new DeviceRef("ivy", "phone")), big);
            }
            awaitTrue(() -> !presence("ivy").containsKey("phone"), "ivy disconnected as a slow consumer");
            assertThat(scrape()).containsPattern("parley_slow_consumer_disconnects_total [1-9]");
            CloudEvent closed = broker.await(r -> r.event().getType().equals(EventTypes.CONNECTION_CLOSED.type())
                    && Actor.of(r.event()).map(a -> a.userId().equals("ivy")).orElse(false), WAIT).event();
            assertThat(Events.data(EventTypes.CONNECTION_CLOSED, closed).reason())
                    .isEqualTo(ConnectionClosed.Reason.SLOW_CONSUMER);
        }
    }

    @Test
    void aSilentConnectionIsClosedAfterTheIdleTimeout() throws Exception {
        try (Socket raw = RawWebSocket.open(tier.port(), DevTokens.mint(SECRET, "jack", "phone", Duration.ofMinutes(5)), "phone", 65536);
             BrokerTopic broker = new BrokerTopic(kafka.bootstrapServers())) {
            awaitTrue(() -> presence("jack").containsKey("phone"), "jack connected");
            // Never answers the pings: after 3 s with nothing read, the server closes.
            awaitTrue(() -> !presence("jack").containsKey("phone"), "jack idled out");
            CloudEvent closed = broker.await(r -> r.event().getType().equals(EventTypes.CONNECTION_CLOSED.type())
                    && Actor.of(r.event()).map(a -> a.userId().equals("jack")).orElse(false), WAIT).event();
            assertThat(Events.data(EventTypes.CONNECTION_CLOSED, closed).reason()).isEqualTo(ConnectionClosed.Reason.IDLE_TIMEOUT);
        }
    }

    @Test
    void aSocketThatNeverUpgradesIsClosedAfterTheIdleTimeout() throws Exception {
        try (Socket raw = new Socket("127.0.0.1", tier.port())) {
            raw.setSoTimeout(20_000);
            long t0 = System.nanoTime();
            // Sends nothing at all: no upgrade request, so Netty's handshake timeout never starts (the idle timeout is 3 s).
            assertThat(raw.getInputStream().read()).isEqualTo(-1);
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isBetween(Duration.ofMillis(2900), Duration.ofSeconds(10));
        }
    }

    @Test
    void aQuietClientThatAnswersPingsStaysConnectedPastTheIdleTimeout() throws Exception {
        try (WsClient quiet = connect("nora", "phone")) {
            // Sends nothing; the JDK client answers the server's pings, which must count as life.
            Thread.sleep(4500);
            assertThat(quiet.isOpen()).isTrue();
            assertThat(presence("nora")).containsEntry("phone", "node-a");
            quiet.send("{\"v\":1,\"t\":\"ping\",\"id\":\"still-here\"}");
            assertThat(quiet.awaitType("pong").path("id").asText()).isEqualTo("still-here");
        }
    }

    @Test
    void drainTellsEveryClientToReconnectDeregistersAndStopsAccepting() throws Exception {
        ConnectionTier draining = TestSettings.node("node-drain", kafka, redis).start();
        try (WsClient kim = connect(draining, "kim", "phone"); WsClient lee = connect(draining, "lee", "phone");
             BrokerTopic broker = new BrokerTopic(kafka.bootstrapServers())) {
            assertThat(presence("kim")).containsEntry("phone", "node-drain");
            draining.drain();

            for (WsClient client : List.of(kim, lee)) {
                client.awaitType("reconnect");
                assertThat(client.awaitClose(WAIT)).isEqualTo(new WsClient.Closed(1012, "server restarting; reconnect"));
            }
            assertThat(presence("kim")).doesNotContainKey("phone");
            assertThat(presence("lee")).doesNotContainKey("phone");
            CloudEvent closed = broker.await(r -> r.event().getType().equals(EventTypes.CONNECTION_CLOSED.type())
                    && Actor.of(r.event()).map(a -> a.userId().equals("kim")).orElse(false), WAIT).event();
            assertThat(Events.data(EventTypes.CONNECTION_CLOSED, closed).reason()).isEqualTo(ConnectionClosed.Reason.DRAIN);
            assertThatRefused(draining.port());
        } finally {
            draining.close();
        }
    }

    @Test
    void healthReadinessAndMetricsAreServed() throws Exception {
        var http = java.net.http.HttpClient.newHttpClient();
        var ready = http.send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create("http://127.0.0.1:" + tier.adminPort() + "/health/ready")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(ready.body()).isEqualTo("ready\n");
        try (WsClient ok = connect("mia", "phone")) {
            assertThat(scrape()).contains("parley_connections").contains("parley_frames_in_total")
                    .contains("parley_produce_latency_seconds_bucket{le=").doesNotContain("quantile=")
                    .contains("jvm_memory_used_bytes").contains("kafka_producer_");
        }
    }

    @Test
    void aNodeWhoseRedisStopsAnsweringIsNotReadyAndIsAgainOnceItAnswers() throws Exception {
        RedisServer own = RedisServer.ephemeral();
        own.start();
        try (ConnectionTier node = TestSettings.node("node-r", kafka, own).start()) {
            var http = java.net.http.HttpClient.newHttpClient();
            var request = java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create("http://127.0.0.1:" + node.adminPort() + "/health/ready")).build();
            assertThat(http.send(request, java.net.http.HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
            own.stop();
            var down = http.send(request, java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(down.statusCode()).isEqualTo(503);
            assertThat(down.body()).startsWith("not ready: redis does not answer");
            own.start();
            long deadline = System.nanoTime() + WAIT.toNanos();
            int status = 0;
            while (status != 200 && System.nanoTime() < deadline) {
                status = http.send(request, java.net.http.HttpResponse.BodyHandlers.ofString()).statusCode();
                Thread.sleep(200);
            }
            assertThat(status).as("ready again once Redis answers").isEqualTo(200);
        } finally {
            own.close();
        }
    }

    private static void assertThatRefused(int port) {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            throw new AssertionError("port " + port + " still accepts after drain");
        } catch (java.io.IOException expected) {
            // refused: the node no longer accepts
        }
    }

    static String scrape() throws Exception {
        var http = java.net.http.HttpClient.newHttpClient();
        return http.send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create("http://127.0.0.1:" + tier.adminPort() + "/metrics")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString()).body();
    }

    /** What fanout does: XADD a frame and its targets to the node's stream. */
    static void publishDelivery(String nodeId, List<DeviceRef> targets, JsonNode frame) throws Exception {
        redisClient.send(Request.cmd(Command.XADD).arg(DeliveryChannel.streamKey(nodeId)).arg("MAXLEN").arg("~")
                .arg(DeliveryChannel.MAX_LENGTH).arg("*").arg(DeliveryChannel.TARGETS)
                .arg(DeliveryChannel.Entry.encodeTargets(targets)).arg(DeliveryChannel.FRAME)
                .arg(io.vertx.core.buffer.Buffer.buffer(EventJson.MAPPER.writeValueAsBytes(frame))))
                .toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    static Map<String, String> presence(String user) {
        try {
            Response hash = redisClient.send(Request.cmd(Command.HGETALL).arg(PresenceRecords.key(user)))
                    .toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
            Map<String, String> raw = new HashMap<>();
            for (String field : hash.getKeys()) {
                raw.put(field, hash.get(field).toString());
            }
            return PresenceRecords.liveDevices(raw, System.currentTimeMillis());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static void awaitTrue(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for: " + what);
            }
            Thread.sleep(25);
        }
    }

    /** A hand-made WebSocket handshake on a plain socket: a client that then never reads and never answers. */
    static final class RawWebSocket {

        static Socket open(int port, String token, String device, int receiveBuffer) throws Exception {
            Socket socket = new Socket();
            socket.setReceiveBufferSize(receiveBuffer);
            socket.connect(new java.net.InetSocketAddress("127.0.0.1", port), 5000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET /ws?token=" + token + "&device=" + device + " HTTP/1.1\r\n"
                    + "Host: 127.0.0.1:" + port + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            StringBuilder head = new StringBuilder();
            while (!head.toString().endsWith("\r\n\r\n")) {
                int c = in.read();
                if (c < 0) {
                    throw new IllegalStateException("handshake cut short: " + head);
                }
                head.append((char) c);
            }
            assertThat(head.toString()).startsWith("HTTP/1.1 101");
            return socket;
        }
    }
}
