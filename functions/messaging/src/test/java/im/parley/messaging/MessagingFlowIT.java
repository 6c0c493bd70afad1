package im.parley.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.Row;
import com.fasterxml.jackson.databind.JsonNode;
import im.parley.cassandra.MigratedKeyspace;
import im.parley.eventing.Actor;
import im.parley.eventing.EventTypes;
import im.parley.eventing.Events;
import im.parley.eventing.binding.KafkaBinding;
import im.parley.eventing.knative.KnativeNames;
import im.parley.eventing.message.ContentType;
import im.parley.eventing.message.MessageSent;
import im.parley.eventing.presence.PresenceRecords;
import im.parley.eventing.runtime.EventingRuntime;
import im.parley.eventing.runtime.RuntimeSettings;
import im.parley.eventing.runtime.dispatch.DispatchSettings;
import im.parley.eventing.runtime.scaling.HpaBehavior;
import im.parley.eventing.runtime.subscriber.InProcessFunctions;
import im.parley.eventing.delivery.DeliveryChannel;
import im.parley.functions.hosting.FunctionApplication;
import im.parley.functions.hosting.FunctionDescriptor;
import im.parley.functions.hosting.EventSenders;
import im.parley.functions.hosting.FunctionHttpServer;
import im.parley.stack.CassandraServer;
import im.parley.stack.KafkaServer;
import im.parley.stack.Ports;
import im.parley.stack.RedisServer;
import im.parley.stack.junit.LocalStack;
import io.cloudevents.CloudEvent;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The message path as it is deployed: the messaging service ({@code sequence|persist|fanout}) as a Knative Service
 * over HTTP, behind its Trigger from manifests/overlays/local in the local runtime, on real Kafka, Redis and
 * Cassandra. What a node would read from its delivery stream is what a client would get.
 */
@LocalStack
class MessagingFlowIT {

    static final String TOPIC = KnativeNames.brokerTopic("parley", EventTypes.MESSAGE_SENT);
    static final List<String> CONVERSATIONS = List.of("d:alice:bob", "d:alice:carol", "d:bob:carol");
    static final Duration WAIT = Duration.ofSeconds(60);

    static Vertx vertx;
    static Redis redis;
    static NodeStreams streams;
    static CqlSession cql;
    static FunctionHttpServer messaging;
    static EventingRuntime runtime;
    static KafkaProducer<String, byte[]> producer;

    @BeforeAll
    static void start(KafkaServer kafka, RedisServer redisServer, CassandraServer cassandra) throws Exception {
        cql = MigratedKeyspace.open(cassandra, "messaging_flow");
        vertx = Vertx.vertx();
        redis = Redis.createClient(vertx, redisServer.uri());
        streams = new NodeStreams(redis);
        FunctionDescriptor descriptor = FunctionDescriptor.discover(MessagingFlowIT.class.getClassLoader()).stream()
                .filter(d -> d.service().equals("messaging")).findFirst().orElseThrow();
        assertThat(descriptor.definition()).isEqualTo("sequence|persist|fanout");
        // The runtime's broker ingress, where fanout sends push requests; the function starts first, so it is told the port.
        int ingressPort = Ports.free();
        Map<String, Object> functionSettings = Map.of(
                "PARLEY_BROKER_INGRESS", "http://127.0.0.1:" + ingressPort,
                "PARLEY_REDIS_URI", redisServer.uri(),
                "PARLEY_CASSANDRA_CONTACT_POINTS", cassandra.host() + ":" + cassandra.port(),
                "PARLEY_CASSANDRA_DATACENTER", cassandra.localDatacenter(),
                "PARLEY_CASSANDRA_KEYSPACE", "messaging_flow",
                "PARLEY_DIRECT_REQUIRES_FRIENDSHIP", "false",
                // Only the runtime's dispatcher may send: its issuer is served on the ingress, as in a cluster.
                "PARLEY_EVENT_AUDIENCE", "parley.im/functions/messaging",
                "PARLEY_EVENT_ISSUER", "http://127.0.0.1:" + ingressPort,
                "PARLEY_EVENT_SENDERS", "system:serviceaccount:parley:*-oidc-eventing.knative.dev-trigger");
        messaging = FunctionHttpServer.start(FunctionApplication.start(descriptor, functionSettings), "127.0.0.1", 0, 16,
                EventSenders.fromSettings(functionSettings));
        runtime = EventingRuntime.start(new RuntimeSettings(kafka.bootstrapServers(), Path.of("../../manifests/overlays/local"),
                Map.of("messaging", URI.create("http://127.0.0.1:" + messaging.port() + "/")), InProcessFunctions.NONE,
                DispatchSettings.defaults(), HpaBehavior.kubernetesDefaults(), "127.0.0.1", -1, ingressPort));
        runtime.awaitReady(WAIT);
        assertThat(runtime.unresolved()).doesNotContain("messaging-message-sent");
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new ByteArraySerializer());
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable c : new AutoCloseable[] {producer, runtime, messaging, cql}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception ignored) {
                // closing anyway
            }
        }
        if (vertx != null) {
            vertx.close();
        }
    }

    @Test
    void seqsAreContiguousAcrossARedisFlushRetriesKeepTheirsAndAStrangerIsRefused() throws Exception {
        for (int i = 0; i < 30; i++) {
            send(CONVERSATIONS.get(i % 3), "c" + i, sender(i), "node-1");
        }
        await(() -> streams.frames("node-1", "ack").size() == 30, "30 acks");
        redis(Request.cmd(Command.FLUSHALL));
        for (int i = 30; i < 60; i++) {
            send(CONVERSATIONS.get(i % 3), "c" + i, sender(i), "node-1");
        }
        // Resends of earlier messages, one from before the flush, and a sender outside the conversation.
        send("d:alice:bob", "c0", "alice", "node-1");
        send("d:alice:bob", "c33", "alice", "node-1");
        send("d:alice:bob", "x1", "mallory", "node-1");
        await(() -> streams.frames("node-1", "ack").size() == 32 && streams.frames("node-1", "error").size() == 1,
                "32 acks and an error after the flush");

        Map<String, Long> acked = new HashMap<>();
        for (JsonNode ack : streams.frames("node-1", "ack")) {
            String key = ack.path("d").path("conversationId").asText() + "/" + ack.path("d").path("clientMsgId").asText();
            Long earlier = acked.putIfAbsent(key, ack.path("d").path("serverSeq").asLong());
            assertThat(earlier == null || earlier == ack.path("d").path("serverSeq").asLong()).as("one seq for " + key).isTrue();
        }
        assertThat(acked).containsEntry("d:alice:bob/c0", 1L);
        for (String c : CONVERSATIONS) {
            List<Row> rows = cql.execute("SELECT server_seq, client_msg_id FROM messages WHERE conversation_id = ? AND bucket = 0",
                    c).all();
            assertThat(rows).as(c).extracting(r -> r.getLong(0))
                    .containsExactlyElementsOf(LongStream.rangeClosed(1, 20).boxed().collect(Collectors.toList()));
            assertThat(rows).extracting(r -> r.getString(1)).doesNotHaveDuplicates();
        }
        JsonNode error = streams.frames("node-1", "error").get(0);
        assertThat(error.path("d").path("code").asText()).isEqualTo("not-member");
        assertThat(error.path("d").path("clientMsgId").asText()).isEqualTo("x1");
    }

    /**
     * The chain retried as a whole after persist and before fanout (the recipient's node stream refuses the write):
     * the retry delivers as the first attempt would have, so the recipient gets the message, once.
     */
    @Test
    void aChainRetriedAfterPersistBeforeFanoutDeliversOnce() throws Exception {
        String conversation = "d:dana:erin";
        online("erin", "phone", "node-2");
        online("dana", "laptop", "node-3");
        redis(Request.cmd(Command.SET).arg(DeliveryChannel.streamKey("node-2")).arg("not a stream"));
        double retriesBefore = runtime.metrics().trigger("messaging-message-sent").retriesCount();
        send(conversation, "d1", "dana", "node-3");
        await(() -> runtime.metrics().trigger("messaging-message-sent").retriesCount() > retriesBefore,
                "fanout to fail once and the chain to be retried");
        assertThat(cql.execute("SELECT server_seq FROM messages WHERE conversation_id = ? AND bucket = 0", conversation).all())
                .as("persist ran before fanout failed").hasSize(1);
        redis(Request.cmd(Command.DEL).arg(DeliveryChannel.streamKey("node-2")));
        await(() -> !streams.frames("node-2", "msg").isEmpty(), "the retry to deliver");
        send(conversation, "d2", "dana", "node-3");
        await(() -> streams.frames("node-2", "msg").size() >= 2, "the next message");

        List<Long> seqs = new ArrayList<>();
        for (JsonNode msg : streams.frames("node-2", "msg")) {
            seqs.add(msg.path("d").path("serverSeq").asLong());
        }
        assertThat(seqs).as("once each, in order, no gap").containsExactly(1L, 2L);
        assertThat(streams.read("node-2")).allSatisfy(d -> assertThat(d.targets()).extracting(t -> t.userId()).containsOnly("erin"));
        assertThat(streams.frames("node-3", "ack")).extracting(a -> a.path("d").path("serverSeq").asLong()).contains(1L, 2L);
        assertThat(streams.frames("node-3", "msg")).as("dana's own device is not sent her message").isEmpty();
    }

    /**
     * Composed in one service, persist tells sequencing which seq it stored (decision 0053): after a conversation's
     * first message, the stored mark is not read from Cassandra again.
     */
    @Test
    void theComposedServiceReadsTheStoredMarkOnlyForAConversationsFirstMessage() throws Exception {
        String conversation = "d:hal:ivy";
        online("ivy", "laptop", "node-8");
        send(conversation, "h1", "hal", "node-7");
        await(() -> streams.frames("node-7", "ack").size() == 1, "the first ack");
        long reads = storedMarkReads();
        for (int i = 2; i <= 11; i++) {
            send(conversation, "h" + i, "hal", "node-7");
        }
        await(() -> streams.frames("node-7", "ack").size() == 11, "11 acks");
        assertThat(storedMarkReads() - reads).as("reads of conversation_state for messages 2 to 11").isZero();
        assertThat(streams.frames("node-8", "msg")).extracting(m -> m.path("d").path("serverSeq").asLong())
                .containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L, 11L);
    }

    /** Cassandra's own count of reads of the table that holds the stored mark. */
    static long storedMarkReads() {
        Row row = cql.execute("SELECT count FROM system_views.local_read_latency WHERE keyspace_name = ? AND table_name = ?",
                "messaging_flow", "conversation_state").one();
        return row == null ? 0 : ((Number) row.getObject("count")).longValue();
    }

    /**
     * Redis loses the last writes it acknowledged (a failover to a replica behind it, an AOF tail, an older
     * snapshot): the counter is 5 behind what is stored. No acked message is overwritten, and a resend with other
     * content is answered with what was stored first.
     */
    @Test
    void aCounterWoundBackReusesNoSeqAndAResendCannotEditTheStoredMessage() throws Exception {
        String conversation = "d:fay:gil";
        online("gil", "laptop", "node-5");
        for (int i = 1; i <= 10; i++) {
            send(conversation, "w" + i, "fay", "node-4", "text " + i);
        }
        await(() -> streams.frames("node-4", "ack").size() == 10, "10 acks");
        redis(Request.cmd(Command.HINCRBY).arg("parley:seq:{" + conversation + "}").arg("n").arg(-5));
        for (int i = 11; i <= 15; i++) {
            send(conversation, "w" + i, "fay", "node-4", "text " + i);
        }
        send(conversation, "w3", "fay", "node-4", "edited");
        await(() -> streams.frames("node-4", "ack").size() == 16, "16 acks");

        Map<Long, String> stored = new HashMap<>();
        for (Row row : cql.execute("SELECT server_seq, client_msg_id, content FROM messages WHERE conversation_id = ?"
                + " AND bucket = 0", conversation)) {
            stored.put(row.getLong(0), row.getString(1) + "=" + row.getString(2));
        }
        Map<Long, String> expected = new HashMap<>();
        for (long i = 1; i <= 15; i++) {
            expected.put(i, "w" + i + "=text " + i);
        }
        assertThat(stored).isEqualTo(expected);
        assertThat(streams.frames("node-4", "ack")).extracting(a -> a.path("d").path("clientMsgId").asText() + "@"
                + a.path("d").path("serverSeq").asLong()).contains("w11@11", "w15@15", "w3@3");
        List<String> received = new ArrayList<>();
        streams.frames("node-5", "msg").forEach(m -> received.add(m.path("d").path("serverSeq").asLong() + "="
                + m.path("d").path("content").asText()));
        assertThat(received).as("each once, in order, as first sent").hasSize(15).doesNotHaveDuplicates()
                .contains("3=text 3", "11=text 11").doesNotContain("3=edited");
    }

    /**
     * A message sequenced whose every attempt then failed (dead-lettered) leaves its seq handed out but never
     * stored, as the Redis state below. The next message takes that seq back, and the resend gets the next one: no
     * gap, and the recipient gets every message in seq order.
     */
    @Test
    void aSeqHandedOutButNeverStoredIsTakenBackSoNothingIsDeliveredOutOfOrder() throws Exception {
        String conversation = "d:kim:lou";
        online("lou", "laptop", "node-7");
        send(conversation, "k1", "kim", "node-6");
        await(() -> streams.frames("node-6", "ack").size() == 1, "the first ack");
        // What the dead-lettered attempt of k2 left: the counter moved to 2 a while ago (its retries took longer than
        // the lease, decision 0048), and k2 remembered at 2.
        redis(Request.cmd(Command.HINCRBY).arg("parley:seq:{" + conversation + "}").arg("n").arg(1));
        redis(Request.cmd(Command.HSET).arg("parley:seq:{" + conversation + "}").arg("at")
                .arg(System.currentTimeMillis() - 60_000));
        redis(Request.cmd(Command.SET).arg("parley:msgid:{" + conversation + "}:k2").arg(2));
        send(conversation, "k3", "kim", "node-6");
        send(conversation, "k2", "kim", "node-6", "hello"); // the SDK resends what was never acked
        await(() -> streams.frames("node-6", "ack").size() == 3, "three acks");

        Map<String, Long> acked = new HashMap<>();
        streams.frames("node-6", "ack").forEach(a -> acked.put(a.path("d").path("clientMsgId").asText(),
                a.path("d").path("serverSeq").asLong()));
        assertThat(acked).containsExactlyInAnyOrderEntriesOf(Map.of("k1", 1L, "k3", 2L, "k2", 3L));
        await(() -> streams.frames("node-7", "msg").size() == 3, "three messages");
        assertThat(streams.frames("node-7", "msg")).extracting(m -> m.path("d").path("serverSeq").asLong())
                .containsExactly(1L, 2L, 3L);
    }

    /** A POST straight to the function, as anyone in the cluster could try: refused, and nothing is stored. */
    @Test
    void anEventForgedStraightToTheFunctionIsRefusedAndChangesNothing() throws Exception {
        CloudEvent forged = Events.create(EventTypes.MESSAGE_SENT, new MessageSent("d:hal:ivy", "forged-1", ContentType.TEXT,
                "from 'ivy'"), new Actor("ivy", "phone", "node-9"), URI.create("/parley/connection-tier/node-9"));
        im.parley.eventing.binding.HttpBinding.HttpMessage message = im.parley.eventing.binding.HttpBinding.binary(forged);
        java.net.http.HttpRequest.Builder request = java.net.http.HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + messaging.port() + "/"))
                .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(message.body()));
        message.headers().forEach(request::header);
        java.net.http.HttpResponse<String> answer = java.net.http.HttpClient.newHttpClient().send(request.build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).isEqualTo(401);
        assertThat(answer.body()).contains("only the broker's dispatcher");
        assertThat(cql.execute("SELECT server_seq FROM messages WHERE conversation_id = 'd:hal:ivy' AND bucket = 0").all())
                .isEmpty();
    }

    static void online(String user, String device, String node) throws Exception {
        redis(Request.cmd(Command.HSET).arg(PresenceRecords.key(user)).arg(device)
                .arg(PresenceRecords.value(node, System.currentTimeMillis() + 600_000)));
    }

    static void send(String conversation, String clientMsgId, String user, String node) throws Exception {
        send(conversation, clientMsgId, user, node, "hello");
    }

    static void send(String conversation, String clientMsgId, String user, String node, String content) throws Exception {
        CloudEvent event = Events.create(EventTypes.MESSAGE_SENT, new MessageSent(conversation, clientMsgId, ContentType.TEXT,
                content), new Actor(user, user.equals("alice") || user.equals("mallory") ? "phone" : "laptop", node),
                URI.create("/parley/connection-tier/" + node));
        producer.send(KafkaBinding.toRecord(TOPIC, event)).get(10, TimeUnit.SECONDS);
    }

    static String sender(int i) {
        return CONVERSATIONS.get(i % 3).split(":")[1];
    }

    static void redis(Request request) throws Exception {
        redis.send(request).toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    static void await(Callable<Boolean> condition, String what) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.call()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(50);
        }
    }
}
