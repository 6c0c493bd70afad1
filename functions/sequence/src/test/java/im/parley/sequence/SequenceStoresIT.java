package im.parley.sequence;

import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.driver.api.core.CqlSession;
import im.parley.cassandra.CassandraSessions;
import im.parley.cassandra.CassandraSettings;
import im.parley.cassandra.CqlMigrations;
import im.parley.eventing.message.MessageRejected.Reason;
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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The Redis cache, the Cassandra ledger and the posting rights, against the real servers. */
@LocalStack
class SequenceStoresIT {

    static Vertx vertx;
    static Redis redis;
    static CqlSession cassandra;
    static RedisSeqCache cache;
    static CassandraSeqLedger ledger;

    @BeforeAll
    static void start(RedisServer redisServer, CassandraServer cassandraServer) {
        vertx = Vertx.vertx();
        redis = Redis.createClient(vertx, redisServer.uri());
        cassandra = migrated(cassandraServer, "sequence_stores");
        cache = new RedisSeqCache(redis, Duration.ofSeconds(2));
        ledger = new CassandraSeqLedger(cassandra);
    }

    static CqlSession migrated(CassandraServer server, String keyspace) {
        CassandraSettings settings = new CassandraSettings(server.host(), server.port(), server.localDatacenter(), keyspace,
                CassandraSettings.LOCAL_REPLICATION);
        try (CqlSession session = CassandraSessions.connect(settings)) {
            CqlMigrations.apply(session, settings);
        }
        return CassandraSessions.connectToKeyspace(settings);
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

    @Test
    void theCacheCountsOnlyOnceSeededAndRemembersClientMsgIdsForItsTtl() throws Exception {
        String c = conversation();
        assertThat(cache.next(c, "m1")).isEmpty();
        cache.seed(c, 41);
        cache.seed(c, 7); // a second seed never moves an existing counter
        assertThat(cache.next(c, "m1")).hasValue(42);
        assertThat(cache.next(c, "m2")).hasValue(43);
        assertThat(cache.seen(c, "m1")).hasValue(42);
        assertThat(cache.seen(c, "m9")).isEmpty();
        cache.remember(c, "m9", 5);
        assertThat(cache.seen(c, "m9")).hasValue(5);
        Thread.sleep(2_100);
        assertThat(cache.seen(c, "m1")).as("expired after the dedupe TTL").isEmpty();
        assertThat(cache.next(c, "m3")).as("the counter does not expire").hasValue(44);
    }

    @Test
    void theLedgerRecordsSeqsAndTheHighWaterMarkTogether() {
        String c = conversation();
        assertThat(ledger.highWaterMark(c)).isZero();
        assertThat(ledger.seqOf(c, "m1")).isEmpty();
        ledger.record(c, "m1", 1);
        ledger.record(c, "m2", 2);
        ledger.record(c, "m1", 1); // recorded again, as a retry does
        assertThat(ledger.seqOf(c, "m1")).hasValue(1);
        assertThat(ledger.highWaterMark(c)).as("a lower seq never lowers the mark").isEqualTo(2);
    }

    @Test
    void aFlushedRedisNeverCausesASeqToBeReused() throws Exception {
        SequenceAllocator allocator = new SequenceAllocator(cache, ledger);
        String c = conversation();
        for (int i = 1; i <= 3; i++) {
            assertThat(allocator.allocate(c, "m" + i).seq()).isEqualTo(i);
        }
        redis.send(Request.cmd(Command.FLUSHALL)).toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        assertThat(allocator.allocate(c, "m2")).isEqualTo(new Allocation(2, true));
        assertThat(allocator.allocate(c, "m4")).isEqualTo(new Allocation(4, false));
        assertThat(cache.seen(c, "m2")).isEqualTo(OptionalLong.of(2));
    }

    @Test
    void postingRightsFollowMembershipAndBlocks() {
        CassandraPostingRights rights = new CassandraPostingRights(cassandra, false);
        assertThat(rights.check("d:ann:ben", "ann")).isEmpty();
        assertThat(rights.check("d:ann:ben", "ben")).isEmpty();
        assertThat(rights.check("d:ann:ben", "eve")).contains(Reason.NOT_MEMBER);

        cassandra.execute("INSERT INTO blocks (user_id, blocked_id) VALUES ('cat', 'dan')");
        assertThat(rights.check("d:cat:dan", "dan")).contains(Reason.BLOCKED);
        assertThat(rights.check("d:cat:dan", "cat")).as("the blocker cannot write either").contains(Reason.BLOCKED);

        cassandra.execute("INSERT INTO groups (group_id, name, owner) VALUES ('crew', 'Crew', 'ann')");
        cassandra.execute("INSERT INTO group_members (group_id, user_id, role) VALUES ('crew', 'ann', 'owner')");
        assertThat(rights.check("g:crew", "ann")).isEmpty();
        assertThat(rights.check("g:crew", "ben")).contains(Reason.NOT_MEMBER);
        assertThat(rights.check("g:nowhere", "ann")).contains(Reason.CONVERSATION_UNKNOWN);
    }

    @Test
    void whenFriendshipIsRequiredOnlyFriendsWriteAndTheBlockedSideIsNotToldOfTheBlock() {
        CassandraPostingRights rights = new CassandraPostingRights(cassandra, true);
        assertThat(rights.check("d:fay:gil", "fay")).contains(Reason.NOT_FRIENDS);
        cassandra.execute("INSERT INTO friends (user_id, friend_id) VALUES ('fay', 'gil')");
        cassandra.execute("INSERT INTO friends (user_id, friend_id) VALUES ('gil', 'fay')");
        assertThat(rights.check("d:fay:gil", "fay")).isEmpty();
        assertThat(rights.check("d:fay:gil", "gil")).isEmpty();
        assertThat(rights.check("d:fay:gil", "hal")).contains(Reason.NOT_MEMBER);

        cassandra.execute("INSERT INTO blocks (user_id, blocked_id) VALUES ('ivy', 'jon')");
        assertThat(rights.check("d:ivy:jon", "ivy")).as("the blocker knows").contains(Reason.BLOCKED);
        assertThat(rights.check("d:ivy:jon", "jon")).as("the blocked side just is not a friend").contains(Reason.NOT_FRIENDS);
    }
}
