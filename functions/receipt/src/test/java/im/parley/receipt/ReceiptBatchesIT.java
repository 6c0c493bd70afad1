package im.parley.receipt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import im.parley.delivery.InMemoryDeliveries;
import im.parley.due.DueSet;
import im.parley.eventing.delivery.DeliveryBatch;
import im.parley.eventing.message.DeviceRef;
import im.parley.stack.RedisServer;
import im.parley.stack.junit.LocalStack;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Batched reads in a real Redis: the highest seq per member wins, what was told is forgotten, and it is due once. */
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
        assertThat(batches.gathered("g:big")).isEqualTo(Map.of("m1", 11L, "m2", 12L));
        batches.add("g:big", "m2", 13); // read again while the batch was being told
        batches.told("g:big", Map.of("m1", 11L, "m2", 12L));
        assertThat(batches.gathered("g:big")).isEqualTo(Map.of("m2", 13L));
        batches.told("g:big", Map.of("m2", 13L));
        assertThat(batches.gathered("g:big")).isEmpty();
    }

    @Test
    void theFlusherTellsTheOnlineMembersOnceAndKeepsTheBatchWhenSendingFails() {
        ReceiptBatches batches = new RedisReceiptBatches(redis, new DueSet(redis, "parley:receipts:due:flusher-it"), Duration.ofSeconds(2),
                Clock.systemUTC());
        InMemoryDeliveries deliveries = new InMemoryDeliveries();
        deliveries.online.put(new DeviceRef("m1", "phone"), "n1");
        deliveries.online.put(new DeviceRef("m3", "phone"), "n2");
        ReceiptFlusher flusher = new ReceiptFlusher(batches, conversation -> List.of("m1", "m2", "m3"), deliveries);
        batches.add("g:huge", "m2", 5);

        deliveries.failNext = true;
        assertThatThrownBy(() -> flusher.accept("g:huge")).isInstanceOf(RuntimeException.class);
        assertThat(batches.gathered("g:huge")).as("kept for the next sweep").isEqualTo(Map.of("m2", 5L));

        flusher.accept("g:huge");
        assertThat(deliveries.sent).extracting(DeliveryBatch::nodeId).containsExactlyInAnyOrder("n1", "n2");
        JsonNode frame = deliveries.sent.get(0).items().get(0).frame();
        assertThat(frame.path("t").asText()).isEqualTo("receipts");
        assertThat(frame.path("d").path("readers").get(0).path("userId").asText()).isEqualTo("m2");
        assertThat(batches.gathered("g:huge")).isEmpty();
        flusher.accept("g:huge");
        assertThat(deliveries.sent).as("nothing new to tell").hasSize(2);
    }
}
