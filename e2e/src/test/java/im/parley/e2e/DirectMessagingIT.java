package im.parley.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.driver.api.core.CqlSession;
import com.fasterxml.jackson.databind.JsonNode;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import im.parley.connection.auth.DevTokens;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import org.slf4j.LoggerFactory;
import im.parley.stack.CassandraServer;
import im.parley.stack.KafkaServer;
import im.parley.stack.RedisServer;
import im.parley.stack.junit.LocalStack;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * 1:1 chat through the whole stack in one JVM ({@link FullStack}): real sockets, the connection tier, Kafka, the
 * local eventing runtime with the functions of manifests/overlays/local, Redis and Cassandra.
 */
@LocalStack
class DirectMessagingIT {

    static FullStack stack;
    static final InMemorySpanExporter SPANS = InMemorySpanExporter.create();
    static final ListAppender<ILoggingEvent> LOGS = new ListAppender<>();

    @BeforeAll
    static void start(KafkaServer kafka, RedisServer redis, CassandraServer cassandra) throws Exception {
        // The stack's processes install the SDK from OTEL_* settings; here the test's own, which keeps every span.
        GlobalOpenTelemetry.resetForTest();
        GlobalOpenTelemetry.set(OpenTelemetrySdk.builder().setTracerProvider(SdkTracerProvider.builder()
                .addSpanProcessor(SimpleSpanProcessor.create(SPANS)).build()).build());
        LOGS.start();
        for (String step : List.of("im.parley.connection.server.Ingress", "im.parley.functions.hosting.FunctionApplication",
                "im.parley.connection.delivery.DeliveryWriter")) {
            Logger logger = (Logger) LoggerFactory.getLogger(step);
            logger.setLevel(Level.DEBUG);
            logger.addAppender(LOGS);
        }
        stack = FullStack.start("direct_messaging", kafka, redis, cassandra);
        try (CqlSession session = stack.cql()) {
            // 1:1 messages need friendship (the default); FriendsIT makes friends through the friend function.
            for (String[] pair : new String[][] {{"alice", "bob"}, {"alice", "carol"}, {"ann", "dan"}, {"tia", "tom"}}) {
                session.execute("INSERT INTO friends (user_id, friend_id) VALUES (?, ?)", pair[0], pair[1]);
                session.execute("INSERT INTO friends (user_id, friend_id) VALUES (?, ?)", pair[1], pair[0]);
            }
            session.execute("INSERT INTO blocks (user_id, blocked_id) VALUES ('dora', 'eve')");
        }
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
        GlobalOpenTelemetry.resetForTest();
    }

    static Socket open(String user, String device) throws Exception {
        return stack.open(user, device);
    }

    static String send(String conversation, String clientMsgId, String text) {
        return FullStack.send(conversation, clientMsgId, text);
    }

    static long seq(JsonNode frame) {
        return frame.path("d").path("serverSeq").asLong();
    }

    @Test
    void twoUsersWithTwoDevicesEachSeeOneOrderAndARetryIsOneMessage() throws Exception {
        int perSender = 15;
        try (Socket alicePhone = open("alice", "phone"); Socket aliceLaptop = open("alice", "laptop");
             Socket bobPhone = open("bob", "phone"); Socket bobLaptop = open("bob", "laptop")) {
            for (int i = 0; i < perSender; i++) {
                alicePhone.send(send("d:alice:bob", "a" + i, "from alice " + i));
                bobPhone.send(send("d:alice:bob", "b" + i, "from bob " + i));
            }
            int total = 2 * perSender;
            List<Long> all = LongStream.rangeClosed(1, total).boxed().toList();
            // Every device sees every message once, in seq order: as a msg, or as the ack of its own send.
            for (Socket device : List.of(alicePhone, aliceLaptop, bobPhone, bobLaptop)) {
                List<JsonNode> frames = device.collect(total, "msg", "ack");
                assertThat(frames).extracting(DirectMessagingIT::seq).containsExactlyElementsOf(all);
            }
            // The same clientMsgId again: the sender gets the original seq back, and nobody gets a second message.
            alicePhone.send(send("d:alice:bob", "a3", "from alice 3"));
            JsonNode again = alicePhone.await("ack");
            assertThat(again.path("d").path("clientMsgId").asText()).isEqualTo("a3");
            List<JsonNode> redelivered = new ArrayList<>(aliceLaptop.drain(Duration.ofSeconds(1), "msg"));
            redelivered.addAll(bobPhone.drain(Duration.ofMillis(200), "msg"));
            assertThat(redelivered).isEmpty();
            assertThat(seq(again)).isBetween(1L, (long) total);
        }
    }

    /** A message as long as a frame may carry is stored, acked and delivered whole (Cassandra refuses such a batch). */
    @Test
    void aMessageAsLongAsAFrameAllowsIsDelivered() throws Exception {
        String content = "x".repeat(60_000);
        try (Socket alice = open("alice", "tablet"); Socket carol = open("carol", "phone")) {
            alice.send(send("d:alice:carol", "long-1", content));
            JsonNode ack = alice.await("ack", "clientMsgId", "long-1");
            assertThat(seq(ack)).isPositive();
            JsonNode delivered = carol.await("msg", "clientMsgId", "long-1");
            assertThat(delivered.path("d").path("content").asText()).isEqualTo(content);
        }
    }

    /**
     * One trace per frame: the tier's publish, the messaging function's handling (a child, through the event's
     * traceparent), and the tier's write to the recipient's socket (a child of the function, through the delivery
     * stream's entry); each step logs with the trace id.
     */
    @Test
    void aMessageIsOneTraceFromTheSendersFrameToTheRecipientsSocket() throws Exception {
        try (Socket tia = open("tia", "phone"); Socket tom = open("tom", "phone")) {
            tia.send(send("d:tia:tom", "traced-1", "follow me"));
            JsonNode delivered = tom.await("msg", "clientMsgId", "traced-1");
            assertThat(delivered).isNotNull();
            SpanData publish = awaitSpan(s -> s.getName().equals("publish im.parley.message.sent")
                    && s.getAttributes().get(AttributeKey.stringKey("parley.user")).equals("tia")
                    && SPANS.getFinishedSpanItems().stream().anyMatch(d -> d.getName().equals("deliver")
                            && d.getTraceId().equals(s.getTraceId())));
            String trace = publish.getTraceId();
            List<SpanData> inTrace = SPANS.getFinishedSpanItems().stream().filter(s -> s.getTraceId().equals(trace)).toList();
            SpanData handled = inTrace.stream().filter(s -> s.getName().equals("messaging im.parley.message.sent"))
                    .findFirst().orElseThrow(() -> new AssertionError("no messaging span in " + inTrace));
            assertThat(handled.getParentSpanId()).isEqualTo(publish.getSpanId());
            assertThat(inTrace).filteredOn(s -> s.getName().equals("deliver"))
                    .as("the recipient's and the sender's other devices' writes, under the function's span")
                    .isNotEmpty().allSatisfy(s -> assertThat(s.getParentSpanId()).isEqualTo(handled.getSpanId()));
            assertThat(publish.getParentSpanContext().isValid()).as("the frame starts the trace").isFalse();
            List<String> steps = LOGS.list.stream().filter(e -> trace.equals(e.getMDCPropertyMap().get("traceId")))
                    .map(ILoggingEvent::getLoggerName).distinct().toList();
            assertThat(steps).contains("im.parley.connection.server.Ingress",
                    "im.parley.functions.hosting.FunctionApplication", "im.parley.connection.delivery.DeliveryWriter");
        }
    }

    static SpanData awaitSpan(java.util.function.Predicate<SpanData> wanted) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            var found = SPANS.getFinishedSpanItems().stream().filter(wanted).findFirst();
            if (found.isPresent()) {
                return found.get();
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no such span in " + SPANS.getFinishedSpanItems());
    }

    @Test
    void aBlockedPairCannotWriteAndAStrangerCannotPostInOthersChats() throws Exception {
        try (Socket eve = open("eve", "phone"); Socket dora = open("dora", "phone"); Socket mallory = open("mallory", "phone")) {
            eve.send(send("d:dora:eve", "e1", "hi dora"));
            JsonNode refused = eve.await("error");
            assertThat(refused.path("d").path("code").asText()).as("the blocked side is not told of the block")
                    .isEqualTo("not-friends");
            assertThat(refused.path("d").path("clientMsgId").asText()).isEqualTo("e1");
            dora.send(send("d:dora:eve", "d1", "hi eve"));
            assertThat(dora.await("error").path("d").path("code").asText()).isEqualTo("blocked");

            mallory.send(send("d:dora:eve", "m1", "let me in"));
            assertThat(mallory.await("error").path("d").path("code").asText()).isEqualTo("not-member");
            assertThat(dora.drain(Duration.ofSeconds(1), "msg")).isEmpty();
        }
    }

    @Test
    void aDeviceThatWasOfflineCatchesUpOnEverythingInOrder() throws Exception {
        int count = 25;
        try (Socket alice = open("alice", "tablet")) {
            for (int i = 0; i < count; i++) {
                alice.send(send("d:alice:carol", "k" + i, "while you were away " + i));
            }
            assertThat(alice.collect(count, "ack")).extracting(DirectMessagingIT::seq)
                    .containsExactlyElementsOf(LongStream.rangeClosed(1, count).boxed().toList());
        }
        try (Socket carol = open("carol", "phone")) {
            List<Long> seen = new ArrayList<>();
            long cursor = 0;
            boolean more = true;
            for (int round = 0; more && round < 10; round++) {
                carol.send("{\"v\":1,\"t\":\"sync\",\"d\":{\"requestId\":\"r" + round + "\",\"kind\":\"catch-up\","
                        + "\"limit\":10,\"cursors\":{\"d:alice:carol\":" + cursor + "}}}");
                JsonNode page = carol.await("sync");
                assertThat(page.path("id").asText()).isEqualTo("r" + round);
                for (JsonNode message : page.path("d").path("messages")) {
                    assertThat(message.path("conversationId").asText()).isEqualTo("d:alice:carol");
                    seen.add(message.path("serverSeq").asLong());
                    cursor = message.path("serverSeq").asLong();
                }
                more = page.path("d").path("hasMore").asBoolean();
            }
            assertThat(seen).containsExactlyElementsOf(LongStream.rangeClosed(1, count).boxed().toList());

            carol.send("{\"v\":1,\"t\":\"sync\",\"d\":{\"requestId\":\"list\",\"kind\":\"conversations\"}}");
            JsonNode list = carol.await("sync").path("d").path("conversations");
            JsonNode chat = null;
            for (JsonNode c : list) {
                if (c.path("conversationId").asText().equals("d:alice:carol")) {
                    chat = c;
                }
            }
            assertThat(chat).isNotNull();
            assertThat(chat.path("lastSeq").asLong()).isEqualTo(count);
            assertThat(chat.path("unread").asLong()).isEqualTo(count);
            assertThat(chat.path("lastMessage").path("content").asText()).isEqualTo("while you were away " + (count - 1));

            // Carol reads up to 20: Alice is told, and Carol's unread count drops to 5.
            try (Socket alice = open("alice", "tablet")) {
                alice.send("{\"v\":1,\"t\":\"sync\",\"d\":{\"requestId\":\"own\",\"kind\":\"conversations\"}}");
                for (JsonNode c : alice.await("sync").path("d").path("conversations")) {
                    if (c.path("conversationId").asText().equals("d:alice:carol")) {
                        assertThat(c.path("unread").asLong()).as("what Alice sent, she has read").isZero();
                    }
                }
                carol.send("{\"v\":1,\"t\":\"receipt.read\",\"d\":{\"conversationId\":\"d:alice:carol\",\"seq\":20}}");
                JsonNode receipt = alice.await("receipt");
                assertThat(receipt.path("d").path("userId").asText()).isEqualTo("carol");
                assertThat(receipt.path("d").path("kind").asText()).isEqualTo("read");
                assertThat(receipt.path("d").path("seq").asLong()).isEqualTo(20);
            }
            carol.send("{\"v\":1,\"t\":\"receipt.read\",\"d\":{\"conversationId\":\"d:alice:carol\",\"seq\":4}}");
            carol.send("{\"v\":1,\"t\":\"sync\",\"d\":{\"requestId\":\"list2\",\"kind\":\"conversations\"}}");
            for (JsonNode c : carol.await("sync").path("d").path("conversations")) {
                if (c.path("conversationId").asText().equals("d:alice:carol")) {
                    assertThat(c.path("readSeq").asLong()).as("a late, lower receipt does not move it back").isEqualTo(20);
                    assertThat(c.path("unread").asLong()).isEqualTo(count - 20);
                }
            }
        }
    }

    /**
     * R4: Dan's tablet stops reading (an app paused in the background) while Ann sends him 48,000-character
     * messages. The node drops his backlog past its bound and closes with 4413; when the tablet reads again it gets
     * whole frames, in order, then the close frame with its reason.
     */
    @Test
    void aClientThatStopsReadingIsClosedWith4413AfterWholeFrames() throws Exception {
        int count = 150;
        String big = "x".repeat(48_000);
        PausedClient dan = new PausedClient(stack.tier.port(), DevTokens.mint(FullStack.SECRET, "dan", null,
                Duration.ofMinutes(30)), "tablet");
        try (Socket ann = open("ann", "desk")) {
            Map<String, String> sends = new LinkedHashMap<>();
            for (int i = 0; i < count; i++) {
                sends.put("big" + i, send("d:ann:dan", "big" + i, big));
            }
            // The JDK's client sends each in fragments, which the node joins. 7 MB at once may outrun the broker's
            // one-second bound on a busy machine; what it did not take is resent, as a client does.
            ann.sendUntilAcked(sends);
        }
        Thread.sleep(2_000); // the deliveries reach the node and pile up
        dan.resume();
        assertThat(dan.closed.get(30, TimeUnit.SECONDS)).isEqualTo(4413);
        List<Long> seqs = new ArrayList<>();
        for (JsonNode frame : dan.frames) {
            if (frame.path("t").asText().equals("msg")) {
                assertThat(frame.path("d").path("content").asText()).hasSize(48_000);
                seqs.add(seq(frame));
            }
        }
        assertThat(seqs).as("some arrived before the backlog was dropped").isNotEmpty().hasSizeLessThan(count);
        assertThat(seqs).containsExactlyElementsOf(LongStream.rangeClosed(1, seqs.size()).boxed().toList());
    }

    /** A socket that takes its welcome, then reads nothing until resumed; it keeps whole frames and the close code. */
    static final class PausedClient {
        final List<JsonNode> frames = new java.util.concurrent.CopyOnWriteArrayList<>();
        final java.util.concurrent.CompletableFuture<Integer> closed = new java.util.concurrent.CompletableFuture<>();
        private final java.net.http.WebSocket ws;

        PausedClient(int port, String token, String device) throws Exception {
            StringBuilder partial = new StringBuilder();
            java.util.concurrent.CountDownLatch welcomed = new java.util.concurrent.CountDownLatch(1);
            ws = java.net.http.HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(
                    java.net.URI.create("ws://127.0.0.1:" + port + "/ws?device=" + device + "&token=" + token),
                    new java.net.http.WebSocket.Listener() {
                        @Override
                        public void onOpen(java.net.http.WebSocket w) {
                            w.request(1);
                        }

                        @Override
                        public java.util.concurrent.CompletionStage<?> onText(java.net.http.WebSocket w, CharSequence data,
                                                                              boolean last) {
                            partial.append(data);
                            if (last) {
                                try {
                                    frames.add(im.parley.eventing.EventJson.MAPPER.readTree(partial.toString()));
                                } catch (Exception e) {
                                    closed.completeExceptionally(new AssertionError("a frame cut off: " + e));
                                }
                                partial.setLength(0);
                            }
                            if (welcomed.getCount() > 0 && last) {
                                welcomed.countDown(); // and request nothing more: paused
                            } else {
                                w.request(1);
                            }
                            return null;
                        }

                        @Override
                        public java.util.concurrent.CompletionStage<?> onClose(java.net.http.WebSocket w, int code, String reason) {
                            closed.complete(code);
                            return null;
                        }

                        @Override
                        public void onError(java.net.http.WebSocket w, Throwable error) {
                            closed.completeExceptionally(error);
                        }
                    }).get(10, TimeUnit.SECONDS);
            assertThat(welcomed.await(10, TimeUnit.SECONDS)).as("welcomed").isTrue();
        }

        void resume() {
            ws.request(1);
        }
    }
}
