package im.parley.due;

import static org.assertj.core.api.Assertions.assertThat;

import im.parley.stack.RedisServer;
import im.parley.stack.junit.LocalStack;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

@LocalStack
class DueSetIT {

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
    void aBurstKeepsItsFirstTimeAndEachDueMemberGoesToOneClaimer() throws Exception {
        DueSet due = new DueSet(redis, "test:due:claims");
        long now = System.currentTimeMillis();
        due.schedule("quinn", now + 1_000);
        due.schedule("quinn", now + 5_000);
        assertThat(due.claim(now + 999, 10)).isEmpty();
        List<String> members = IntStream.range(0, 300).mapToObj(i -> "u" + i).toList();
        members.forEach(m -> due.schedule(m, now));
        List<CompletableFuture<List<String>>> claimers = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            claimers.add(CompletableFuture.supplyAsync(() -> due.claim(now + 1_000, 1_000)));
        }
        List<String> claimed = new ArrayList<>();
        for (CompletableFuture<List<String>> claimer : claimers) {
            claimed.addAll(claimer.get());
        }
        assertThat(claimed).doesNotHaveDuplicates().containsAll(members).contains("quinn").hasSize(301);
        assertThat(due.claim(now + 10_000, 10)).isEmpty();
    }

    @Test
    void failedWorkIsTriedAgainASecondLater() {
        DueSet due = new DueSet(redis, "test:due:retry");
        List<String> done = new CopyOnWriteArrayList<>();
        DueSweeper sweeper = new DueSweeper(due, member -> {
            if (member.equals("flaky") && done.stream().noneMatch("failed"::equals)) {
                done.add("failed");
                throw new IllegalStateException("not yet");
            }
            done.add(member);
        }, Clock.systemUTC());
        due.schedule("flaky", System.currentTimeMillis());
        due.schedule("fine", System.currentTimeMillis());
        assertThat(sweeper.sweep()).isEqualTo(2);
        assertThat(done).containsExactlyInAnyOrder("failed", "fine");
        assertThat(sweeper.sweep()).as("not due again yet").isZero();
        long deadline = System.currentTimeMillis() + 5_000;
        while (!done.contains("flaky") && System.currentTimeMillis() < deadline) {
            sweeper.sweep();
        }
        assertThat(done).contains("flaky");
    }

    @Test
    void closingLetsASweepUnderWayFinishItsClaimedMembers() throws Exception {
        DueSet due = new DueSet(redis, "test:due:close");
        List<String> done = new CopyOnWriteArrayList<>();
        CountDownLatch working = new CountDownLatch(1);
        DueSweeper sweeper = new DueSweeper(due, member -> {
            working.countDown();
            try {
                Thread.sleep(300);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
            done.add(member);
        }, Clock.systemUTC());
        due.schedule("ada", System.currentTimeMillis());
        due.schedule("bo", System.currentTimeMillis());
        sweeper.start("close-test", 10);
        assertThat(working.await(5, TimeUnit.SECONDS)).isTrue();
        sweeper.close();
        assertThat(done).as("claimed, so done before the sweeper stops").containsExactlyInAnyOrder("ada", "bo");
    }
}
