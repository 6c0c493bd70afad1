package im.parley.receipt;

import static org.assertj.core.api.Assertions.assertThat;

import im.parley.due.DueSet;
import im.parley.stack.RedisServer;
import im.parley.stack.junit.LocalStack;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Batched reads in a real Redis: the highest seq per member wins, a take empties the batch, and it is due once. */
@LocalStack
class ReceiptBatchesIT {

    static Vertx vertx;
    static Redis redis;

    @BeforeAll
    static void start(RedisServer server) {
        vertx = Vertx.vertx();
        redis = Redis.createClient(vertx, server.uri());
    }

    @AfterAll
    static void stop() {
        vertx.close();
    }

    @Test
    void readsGatherUntilTakenAndTheGroupIsDueOneWindowAfterItsFirstRead() {
        DueSet due = new DueSet(redis, RedisReceiptBatches.DUE);
        ReceiptBatches batches = new RedisReceiptBatches(redis, due, Duration.ofSeconds(2), Clock.systemUTC());
        long before = System.currentTimeMillis();
        batches.add("g:big", "m1", 10);
        batches.add("g:big", "m1", 7);
        batches.add("g:big", "m2", 12);
        batches.add("g:big", "m1", 11);
        assertThat(due.claim(before + 1_000, 10)).as("not due within the window").isEmpty();
        assertThat(due.claim(System.currentTimeMillis() + 2_500, 10)).containsExactly("g:big");
        assertThat(batches.take("g:big")).isEqualTo(Map.of("m1", 11L, "m2", 12L));
        assertThat(batches.take("g:big")).isEmpty();
    }
}
