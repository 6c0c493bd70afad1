package im.parley.sequence;

import static org.assertj.core.api.Assertions.assertThat;

import im.parley.eventing.Actor;
import im.parley.eventing.EventTypes;
import im.parley.eventing.Events;
import im.parley.eventing.binding.KafkaBinding;
import im.parley.eventing.message.ContentType;
import im.parley.eventing.message.MessageRejected;
import im.parley.eventing.message.MessageSent;
import im.parley.eventing.message.MessageSequenced;
import im.parley.eventing.runtime.EventingRuntime;
import im.parley.eventing.runtime.RuntimeSettings;
import im.parley.eventing.runtime.dispatch.DispatchSettings;
import im.parley.functions.hosting.FunctionDescriptor;
import im.parley.stack.CassandraServer;
import im.parley.stack.KafkaServer;
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
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * The sequence function behind its Trigger from manifests/overlays/local, in the local runtime, on real
 * Kafka, Redis and Cassandra: seqs are contiguous per conversation, retries keep their seq, Redis can be
 * flushed mid-stream, and a sender who is not in the conversation is told so.
 */
@LocalStack
class SequenceFlowIT {

    static final String TOPIC = "knative-broker-parley-default";
    static final List<String> CONVERSATIONS = List.of("d:alice:bob", "d:alice:carol", "d:bob:carol");

    @Test
    void messagesGetContiguousSeqsAcrossARedisFlushAndRetriesKeepTheirs(KafkaServer kafka, RedisServer redisServer,
                                                                        CassandraServer cassandra) throws Exception {
        SequenceStoresIT.migrated(cassandra, "sequence_flow").close();
        Map<String, Object> properties = Map.of(
                "PARLEY_REDIS_URI", redisServer.uri(),
                "PARLEY_CASSANDRA_CONTACT_POINTS", cassandra.host() + ":" + cassandra.port(),
                "PARLEY_CASSANDRA_DATACENTER", cassandra.localDatacenter(),
                "PARLEY_CASSANDRA_KEYSPACE", "sequence_flow",
                "PARLEY_DIRECT_REQUIRES_FRIENDSHIP", "false");
        FunctionDescriptor sequence = FunctionDescriptor.discover(getClass().getClassLoader()).stream()
                .filter(d -> d.service().equals("sequence")).findFirst().orElseThrow();
        Vertx vertx = Vertx.vertx();
        Redis redis = Redis.createClient(vertx, redisServer.uri());
        try (EventingRuntime runtime = EventingRuntime.start(new RuntimeSettings(kafka.bootstrapServers(),
                Path.of("../../manifests/overlays/local"), Map.of(), List.of(sequence), properties,
                DispatchSettings.defaults(), "127.0.0.1", -1));
             KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                     ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(), ProducerConfig.ACKS_CONFIG, "all"),
                     new StringSerializer(), new ByteArraySerializer())) {
            runtime.awaitReady(Duration.ofSeconds(60));
            assertThat(runtime.unresolved()).doesNotContain("sequence-message-sent");

            int sent = 0;
            for (int i = 0; i < 30; i++) {
                producer.send(KafkaBinding.toRecord(TOPIC, message(CONVERSATIONS.get(i % 3), "c" + i, sender(i))));
                sent++;
            }
            producer.flush();
            awaitReplies(kafka, sent);
            redis.send(Request.cmd(Command.FLUSHALL)).toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
            for (int i = 30; i < 60; i++) {
                producer.send(KafkaBinding.toRecord(TOPIC, message(CONVERSATIONS.get(i % 3), "c" + i, sender(i))));
                sent++;
            }
            // Retries of earlier messages, one from before the flush, and a sender outside the conversation.
            producer.send(KafkaBinding.toRecord(TOPIC, message("d:alice:bob", "c0", "alice")));
            producer.send(KafkaBinding.toRecord(TOPIC, message("d:alice:bob", "c33", "alice")));
            producer.send(KafkaBinding.toRecord(TOPIC, message("d:alice:bob", "x1", "mallory")));
            sent += 3;
            producer.flush();

            List<CloudEvent> replies = awaitReplies(kafka, sent);
            Map<String, Long> seqOf = new HashMap<>();
            Map<String, TreeSet<Long>> seqs = new HashMap<>();
            List<MessageSequenced> duplicates = new ArrayList<>();
            MessageRejected rejected = null;
            for (CloudEvent reply : replies) {
                if (reply.getType().equals(EventTypes.MESSAGE_REJECTED.type())) {
                    rejected = Events.data(EventTypes.MESSAGE_REJECTED, reply);
                    continue;
                }
                MessageSequenced s = Events.data(EventTypes.MESSAGE_SEQUENCED, reply);
                String key = s.message().conversationId() + "/" + s.message().clientMsgId();
                Long earlier = seqOf.putIfAbsent(key, s.message().serverSeq());
                assertThat(earlier == null || earlier == s.message().serverSeq()).as("one seq for " + key).isTrue();
                seqs.computeIfAbsent(s.message().conversationId(), k -> new TreeSet<>()).add(s.message().serverSeq());
                if (Boolean.TRUE.equals(s.duplicate())) {
                    duplicates.add(s);
                }
            }
            for (String c : CONVERSATIONS) {
                assertThat(seqs.get(c)).as(c).containsExactlyElementsOf(
                        LongStream.rangeClosed(1, 20).boxed().collect(Collectors.toList()));
            }
            assertThat(duplicates).extracting(d -> d.message().clientMsgId()).contains("c0", "c33");
            assertThat(seqOf).containsEntry("d:alice:bob/c0", 1L);
            assertThat(rejected).isNotNull();
            assertThat(rejected.reason()).isEqualTo(MessageRejected.Reason.NOT_MEMBER);
        } finally {
            vertx.close();
        }
    }

    static String sender(int i) {
        return CONVERSATIONS.get(i % 3).split(":")[1];
    }

    static CloudEvent message(String conversation, String clientMsgId, String user) {
        return Events.create(EventTypes.MESSAGE_SENT, new MessageSent(conversation, clientMsgId, ContentType.TEXT, "hello"),
                new Actor(user, "phone", "node-1"), URI.create("/parley/nodes/node-1"));
    }

    /** Every sequenced or rejected reply on the broker topic, once there are at least {@code expected}. */
    static List<CloudEvent> awaitReplies(KafkaServer kafka, int expected) {
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()), new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(TOPIC).stream()
                    .map(p -> new TopicPartition(TOPIC, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            List<CloudEvent> replies = new ArrayList<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> {
                    CloudEvent e = KafkaBinding.fromRecord(r);
                    if (!e.getType().equals(EventTypes.MESSAGE_SENT.type())) {
                        replies.add(e);
                    }
                });
                if (replies.size() >= expected) {
                    return replies;
                }
            }
            throw new AssertionError("only " + replies.size() + " of " + expected + " replies on " + TOPIC);
        }
    }
}
