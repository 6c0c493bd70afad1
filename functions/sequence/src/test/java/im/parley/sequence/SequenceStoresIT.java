package im.parley.sequence;

import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.driver.api.core.CqlSession;
import im.parley.cassandra.MessageBuckets;
import im.parley.cassandra.MigratedKeyspace;
import im.parley.membership.CassandraGroups;
import im.parley.messages.RecentSeqs;
import im.parley.social.CassandraSocialGraph;
import im.parley.stack.CassandraServer;
import im.parley.stack.RedisServer;
import im.parley.stack.junit.LocalStack;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The allocator over the Cassandra ledger, posting rights and Redis, against the real servers. */
@LocalStack
class SequenceStoresIT {

    static Vertx vertx;
    static Redis redis;
    static CqlSession cassandra;
    static CassandraSeqLedger ledger;

    @BeforeAll
    static void start(RedisServer redisServer, CassandraServer cassandraServer) {
        vertx = Vertx.vertx();
        redis = Redis.createClient(vertx, redisServer.uri());
        cassandra = MigratedKeyspace.open(cassandraServer, "sequence_stores");
        ledger = new CassandraSeqLedger(cassandra);
    }

    @AfterAll
    static void stop() {
        if (cassandra != null) {
            cassandra.close();
        }
        if (vertx != null) {
            vertx.close();
        }
    }

    static String conversation() {
        return "d:u" + UUID.randomUUID().toString().substring(0, 8) + ":v";
    }

    /** What persist writes for a stored message, as far as the ledger reads it. */
    static void stored(CqlSession cassandra, String conversation, String clientMsgId, long seq) {
        cassandra.execute("INSERT INTO messages (conversation_id, bucket, server_seq, client_msg_id) VALUES (?, ?, ?, ?)",
                conversation, MessageBuckets.of(seq), seq, clientMsgId);
        cassandra.execute("INSERT INTO message_ids (conversation_id, client_msg_id, server_seq) VALUES (?, ?, ?)",
                conversation, clientMsgId, seq);
        cassandra.execute("UPDATE conversation_state USING TIMESTAMP ? SET persisted_seq = ? WHERE conversation_id = ?",
                seq, seq, conversation);
    }

    @Test
    void aFlushedRedisNeverCausesASeqToBeReused() throws Exception {
        RecentSeqs recent = new RecentSeqs();
        SequenceAllocator allocator = new SequenceAllocator(new RedisSeqCache(redis, Duration.ofMinutes(10), Duration.ofSeconds(1)), ledger,
                new GraphPostingRights(new CassandraSocialGraph(cassandra), new CassandraGroups(cassandra), false), recent);
        String c = conversation();
        for (int i = 1; i <= 3; i++) {
            SequenceAllocator.Sequenced s = (SequenceAllocator.Sequenced) allocator.sequence(c, "m" + i, "u" + c.substring(3, 11), false);
            assertThat(s.seq()).isEqualTo(i);
            stored(cassandra, c, "m" + i, i);
            recent.stored(c, i);
        }
        String user = "u" + c.substring(3, 11);
        redis.send(Request.cmd(Command.FLUSHALL)).toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        assertThat(allocator.sequence(c, "m2", user, false)).isEqualTo(new SequenceAllocator.Sequenced(2, true));
        assertThat(retried(() -> allocator.sequence(c, "m4", user, false))).isEqualTo(new SequenceAllocator.Sequenced(4, false));
        assertThat(allocator.sequence(c, "m2", user, false)).isEqualTo(new SequenceAllocator.Sequenced(2, true));
    }

    /** As the Trigger retries an event: a server up for less than the lease (one just started) holds new seqs. */
    static SequenceAllocator.Outcome retried(Supplier<SequenceAllocator.Outcome> sequencing) throws InterruptedException {
        for (int attempt = 1; ; attempt++) {
            try {
                return sequencing.get();
            } catch (SequenceAllocator.Pending e) {
                if (attempt == 10) {
                    throw e;
                }
                Thread.sleep(500);
            }
        }
    }

    @Test
    void aClientMsgIdIsAnsweredFromRedisOnlyForItsTtl() throws Exception {
        RedisSeqCache cache = new RedisSeqCache(redis, Duration.ofSeconds(2));
        String c = conversation();
        cache.next(new SeqCache.Turn(c), "m1", "u", SeqCacheContract.ALLOWED, OptionalLong.of(0));
        assertThat(cache.next(new SeqCache.Turn(c), "m1", "u", null, OptionalLong.empty())).isEqualTo(new SeqCache.Duplicate(1, true));
        Thread.sleep(2_100);
        assertThat(cache.next(new SeqCache.Turn(c), "m1", "u", null, OptionalLong.empty())).as("expired after the dedupe TTL")
                .isEqualTo(new SeqCache.Allocated(2, false));
    }
}
