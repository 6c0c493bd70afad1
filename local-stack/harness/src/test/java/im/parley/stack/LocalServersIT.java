package im.parley.stack;

import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.driver.api.core.CqlSession;
import im.parley.stack.junit.LocalStack;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** The harness's servers are real: each one serves its protocol, and survives a restart with its data. */
@LocalStack
class LocalServersIT {

    @Test
    void kafkaKeepsRecordsAcrossARestart(KafkaServer kafka) throws Exception {
        String topic = "harness-" + UUID.randomUUID();
        kafka.createTopic(topic, 3);
        try (KafkaProducer<String, String> producer = producer(kafka)) {
            for (int i = 0; i < 10; i++) {
                producer.send(new ProducerRecord<>(topic, "k" + (i % 3), "v" + i)).get();
            }
        }
        kafka.stop();
        assertThat(kafka.isRunning()).isFalse();
        kafka.start();

        assertThat(consumeAll(kafka, topic, 10)).extracting(ConsumerRecord::value)
                .containsExactlyInAnyOrder("v0", "v1", "v2", "v3", "v4", "v5", "v6", "v7", "v8", "v9");
    }

    @Test
    void redisAnswersAndCanBeFlushed(RedisServer redis) {
        assertThat(redis.command("SET harness:key 42")).isEqualTo("+OK");
        assertThat(redis.command("INCR harness:key")).isEqualTo(":43");
        redis.flushAll();
        assertThat(redis.command("EXISTS harness:key")).isEqualTo(":0");
    }

    @Test
    void cassandraServesCqlAndKeepsDataAcrossARestart(CassandraServer cassandra) {
        try (CqlSession session = session(cassandra)) {
            session.execute("CREATE KEYSPACE IF NOT EXISTS harness WITH replication = "
                    + "{'class': 'SimpleStrategy', 'replication_factor': 1}");
            session.execute("CREATE TABLE IF NOT EXISTS harness.kv (k text PRIMARY KEY, v text)");
            session.execute("INSERT INTO harness.kv (k, v) VALUES ('a', 'survives')");
        }
        cassandra.stop();
        cassandra.start();
        try (CqlSession session = session(cassandra)) {
            assertThat(session.execute("SELECT v FROM harness.kv WHERE k = 'a'").one().getString("v"))
                    .isEqualTo("survives");
        }
    }

    @Test
    void cassandraRunsWithACoarseTimerSlack(CassandraServer cassandra) throws Exception {
        // Each thread inherits the slack of the one that started it; the main thread's stands for all of them.
        Path slack = Path.of("/proc", Long.toString(cassandra.pid()), "timerslack_ns");
        assertThat(Files.readString(slack).trim()).isEqualTo(Long.toString(CassandraServer.TIMER_SLACK_NANOS));
    }

    @Test
    void aServerThatDiesAtStartSaysWhichAndQuotesItsLog() {
        RedisServer broken = new RedisServer(DataDir.temporary("redis-broken"), 70000, false);
        long started = System.nanoTime();
        try {
            broken.start();
            throw new AssertionError("Redis on port 70000 should not start");
        } catch (ServerStartException e) {
            assertThat(e.getMessage()).startsWith("Redis did not start: process exited")
                    .contains("last lines of its log").contains("FATAL CONFIG FILE ERROR");
        } finally {
            broken.close();
        }
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(20));
    }

    @Test
    void aPortAlreadyInUseIsRefusedRatherThanMistakenForReadiness(KafkaServer kafka, RedisServer redis) {
        KafkaServer kafkaClash = new KafkaServer(DataDir.temporary("kafka-clash"), kafka.port(), Ports.free(), "256m");
        RedisServer redisClash = new RedisServer(DataDir.temporary("redis-clash"), redis.port(), false);
        for (LocalServer clash : List.of(kafkaClash, redisClash)) {
            try {
                clash.start();
                throw new AssertionError(clash.name() + " should not start on a port in use");
            } catch (ServerStartException e) {
                assertThat(e.getMessage()).startsWith(clash.name() + " did not start").contains("already in use");
            } finally {
                clash.close();
            }
        }
        assertThat(kafka.isRunning()).isTrue();
        assertThat(redis.isRunning()).isTrue();
    }

    private static CqlSession session(CassandraServer cassandra) {
        return CqlSession.builder()
                .addContactPoint(new InetSocketAddress(cassandra.host(), cassandra.port()))
                .withLocalDatacenter(cassandra.localDatacenter())
                .build();
    }

    private static KafkaProducer<String, String> producer(KafkaServer kafka) {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new StringSerializer());
    }

    private static List<ConsumerRecord<String, String>> consumeAll(KafkaServer kafka, String topic, int expected) {
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "harness-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (records.size() < expected && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        return records;
    }
}
