package im.parley.sequence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import im.parley.rights.RedisPostingRightsCache;
import im.parley.stack.DataDir;
import im.parley.stack.Ports;
import im.parley.stack.RedisServer;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The seq cache's contract against a real Redis of its own, persistent as deployed so that it can be restarted with
 * its data, with the real invalidation of posting rights.
 */
class RedisSeqCacheIT extends SeqCacheContract {

    static RedisServer server;
    static Vertx vertx;
    static Redis redis;
    static RedisSeqCache cache;

    @BeforeAll
    static void start() {
        server = new RedisServer(DataDir.temporary("redis-seq"), Ports.free(), true);
        server.start();
        vertx = Vertx.vertx();
        connect();
        // A server just started is one just restarted: it vouches for no counter until it has been up a lease.
        sleep(PAST_THE_LEASE);
    }

    static void connect() {
        redis = Redis.createClient(vertx, server.uri());
        cache = new RedisSeqCache(redis, Duration.ofMinutes(10), Duration.ofSeconds(LEASE_SECONDS));
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @AfterAll
    static void stop() {
        vertx.close();
        server.close();
    }

    @Override
    SeqCache cache() {
        return cache;
    }

    @Override
    void flush() throws Exception {
        redis.send(Request.cmd(Command.FLUSHALL)).toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    @Override
    void forgetRights(String conversationId) {
        new RedisPostingRightsCache(redis).forget(conversationId);
    }

    @Override
    void restart() {
        redis.close();
        server.stop();
        server.start();
        connect();
    }

    @Override
    void pause(long millis) {
        sleep(millis);
    }

    /** The functions' ACL user as docs/security.md gives it may read INFO; one denied it still sequences, by the mark. */
    @Test
    void aUserDeniedInfoSequencesWithoutFollowing() {
        RedisServer secured = RedisServer.secured("default off",
                "with-info on >pw ~parley:* &parley:* +@all -@dangerous +info",
                "without-info on >pw ~parley:* &parley:* +@all -@dangerous");
        secured.start();
        try {
            for (String user : new String[] {"with-info", "without-info"}) {
                Redis client = Redis.createClient(vertx, "redis://" + user + ":pw@127.0.0.1:" + secured.port());
                RedisSeqCache seqs = new RedisSeqCache(client, Duration.ofMinutes(10));
                SeqCache.Turn c = new SeqCache.Turn(conversation());
                assertThat(seqs.next(c, "m1", "u", ALLOWED, OptionalLong.of(0), null)).isEqualTo(new SeqCache.Allocated(1, false));
                SeqCache.Stored stored = new SeqCache.Stored(1, c.counter() == null ? "" : c.counter());
                assertThat(seqs.next(c, "m2", "u", null, OptionalLong.empty(), stored))
                        .as(user).isEqualTo(new SeqCache.Allocated(2, false, user.equals("with-info")));
                client.close();
            }
        } finally {
            secured.close();
        }
    }

    /** Entries the previous version wrote (a bare seq, a counter without an epoch) are never taken as current. */
    @Test
    void whatThePreviousVersionWroteIsNotCurrentButStillCounts() throws Exception {
        String c = conversation();
        redis.send(Request.cmd(Command.HSET).arg(RedisSeqCache.counterKey(c)).arg("n").arg(3).arg("born").arg(0))
                .toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        redis.send(Request.cmd(Command.SET).arg(RedisSeqCache.clientMsgKey(c, "m3")).arg(3))
                .toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        SeqCache.Turn turn = new SeqCache.Turn(c);
        assertThat(cache.next(turn, "m3", "u", null, OptionalLong.empty())).isEqualTo(new SeqCache.Duplicate(3, false));
        assertThat(cache.next(turn, "m4", "u", ALLOWED, OptionalLong.empty())).isEqualTo(new SeqCache.Allocated(4, false));
        assertThat(cache.next(turn, "m4", "u", null, OptionalLong.empty())).isEqualTo(new SeqCache.Duplicate(4, true));
    }

    /** Several conversations' calls in one round trip answer as the same calls made one by one. */
    @Test
    void nextAllAnswersAsCallsMadeOneByOne() {
        SeqCache.Turn a = new SeqCache.Turn(conversation());
        SeqCache.Turn b = new SeqCache.Turn(conversation());
        SeqCache.Turn fresh = new SeqCache.Turn(conversation());
        SeqCache.Turn unknownRight = new SeqCache.Turn(conversation());
        assertThat(cache.next(a, "m1", "u", ALLOWED, OptionalLong.of(0), null)).isEqualTo(new SeqCache.Allocated(1, false));
        assertThat(cache.next(b, "m1", "u", ALLOWED, OptionalLong.of(4), null)).isEqualTo(new SeqCache.Allocated(5, true));
        SeqCache.Stored stored = new SeqCache.Stored(1, a.counter());
        assertThat(cache.nextAll(List.of(
                new RedisSeqCache.Next(a, "m2", "u", null, OptionalLong.empty(), stored),
                new RedisSeqCache.Next(b, "m1", "u", null, OptionalLong.empty(), null),
                new RedisSeqCache.Next(a, "m3", "u", null, OptionalLong.empty(), null),
                new RedisSeqCache.Next(fresh, "m1", "u", ALLOWED, OptionalLong.empty(), null),
                new RedisSeqCache.Next(unknownRight, "m1", "u", null, OptionalLong.empty(), null))))
                .containsExactly(new SeqCache.Allocated(2, false, true), new SeqCache.Duplicate(5, true),
                        new SeqCache.Allocated(3, false, false), new SeqCache.CounterMissing(),
                        new SeqCache.RightUnknown("0"));
    }

    /** A lost turn among them fails the whole answer, after every call was made. */
    @Test
    void nextAllThrowsForALostTurnOnceAllAreMade() {
        SeqCache.Turn old = new SeqCache.Turn(conversation());
        assertThat(cache.next(old, "m1", "u", ALLOWED, OptionalLong.of(0), null)).isEqualTo(new SeqCache.Allocated(1, false));
        SeqCache.Turn newer = new SeqCache.Turn(old.conversationId());
        assertThat(cache.next(newer, "m2", "u", null, OptionalLong.empty(), null)).isEqualTo(new SeqCache.Allocated(2, false));
        SeqCache.Turn other = new SeqCache.Turn(conversation());
        assertThatThrownBy(() -> cache.nextAll(List.of(
                new RedisSeqCache.Next(old, "m3", "u", null, OptionalLong.empty(), null),
                new RedisSeqCache.Next(other, "m1", "u", ALLOWED, OptionalLong.of(0), null))))
                .isInstanceOf(SeqCache.TurnLost.class).hasMessageContaining(old.token());
        assertThat(cache.next(other, "m1", "u", null, OptionalLong.empty(), null))
                .as("the call after the lost one was made").isEqualTo(new SeqCache.Duplicate(1, true));
    }
}
