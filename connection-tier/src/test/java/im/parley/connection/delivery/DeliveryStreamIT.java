package im.parley.connection.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import im.parley.eventing.delivery.DeliveryChannel;
import im.parley.stack.RedisServer;
import im.parley.stack.junit.LocalStack;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The node's reader of its delivery stream against a real Redis, which trims the stream as functions write it. */
@LocalStack
class DeliveryStreamIT {

    static Vertx node;
    static Vertx functions;
    static Redis writer;
    static String uri;

    @BeforeAll
    static void start(RedisServer redis) {
        uri = redis.uri();
        node = Vertx.vertx();
        functions = Vertx.vertx();
        writer = Redis.createClient(functions, uri);
    }

    @AfterAll
    static void stop() {
        node.close();
        functions.close();
    }

    /** What fanout does, with a short stream. */
    static void append(String nodeId, String frame, int maxLength) throws Exception {
        writer.send(Request.cmd(Command.XADD).arg(DeliveryChannel.streamKey(nodeId)).arg("MAXLEN").arg("=").arg(maxLength)
                .arg("*").arg(DeliveryChannel.TARGETS).arg("u/d").arg(DeliveryChannel.FRAME).arg(frame))
                .toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    @Test
    void aNodeThatKeepsUpSeesNoGapAndAStalledOneIsToldWhatItLost() throws Exception {
        List<String> read = new CopyOnWriteArrayList<>();
        AtomicInteger gaps = new AtomicInteger();
        CountDownLatch stalled = new CountDownLatch(1);
        try (DeliveryStream stream = new DeliveryStream(node, Redis.createClient(node, uri), "gap-node", (to, frame, trace) -> {
            String text = new String(frame, StandardCharsets.UTF_8);
            read.add(text);
            if (text.equals("stall")) {
                try {
                    stalled.await(30, TimeUnit.SECONDS); // the node's loop stops, as in a long pause
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }, gaps::incrementAndGet)) {
            stream.start().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            // Read entries are trimmed as the stream grows: not a gap.
            for (int i = 0; i < 10; i++) {
                append("gap-node", "kept-" + i, 3);
                int expected = i + 1;
                await(() -> read.size() == expected);
            }
            assertThat(gaps).hasValue(0);

            append("gap-node", "stall", 3);
            await(() -> read.contains("stall"));
            for (int i = 0; i < 20; i++) {
                append("gap-node", "later-" + i, 5);
            }
            stalled.countDown();
            await(() -> read.contains("later-19"));
            assertThat(gaps).as("told once").hasValue(1);
            assertThat(read).contains("later-15").doesNotContain("later-0", "later-14");

            append("gap-node", "after", 5);
            await(() -> read.contains("after"));
            assertThat(gaps).hasValue(1);
        }
    }

    @Test
    void aReaderThatKeepsUpCountsTheStreamOnlyNowAndThen() throws Exception {
        List<String> read = new CopyOnWriteArrayList<>();
        try (DeliveryStream stream = new DeliveryStream(node, Redis.createClient(node, uri), "steady-node",
                (to, frame, trace) -> read.add(new String(frame, StandardCharsets.UTF_8)), () -> { })) {
            stream.start().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            long before = countScriptsRun();
            for (int i = 0; i < 40; i++) {
                append("steady-node", "m-" + i, 1000);
                int expected = i + 1;
                await(() -> read.size() == expected);
            }
            // 40 reads: the count ran for the first few (a new stream is short) and about once a second, not 40 times.
            assertThat(countScriptsRun() - before).isLessThan(15);
        }
    }

    /** The count is the only EVAL against this Redis. */
    static long countScriptsRun() throws Exception {
        String info = writer.send(Request.cmd(Command.INFO).arg("commandstats")).toCompletionStage().toCompletableFuture()
                .get(5, TimeUnit.SECONDS).toString();
        return info.lines().filter(l -> l.startsWith("cmdstat_eval:")).findFirst()
                .map(l -> Long.parseLong(l.replaceAll("^cmdstat_eval:calls=(\\d+),.*$", "$1").trim())).orElse(0L);
    }

    static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("timed out").isLessThan(deadline);
            Thread.sleep(20);
        }
    }
}
