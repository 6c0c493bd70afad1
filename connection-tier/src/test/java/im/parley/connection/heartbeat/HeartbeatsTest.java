package im.parley.connection.heartbeat;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.DefaultEventLoop;
import io.netty.channel.EventLoop;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The sweep's bookkeeping on a real event loop, with a 200 ms ping interval. */
class HeartbeatsTest {

    private final EventLoop loop = new DefaultEventLoop();
    private final Heartbeats heartbeats = new Heartbeats(Duration.ofMillis(200));

    @AfterEach
    void stop() {
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @Test
    void aQuietConnectionHearsOfEachWholeIntervalOnceAndABusyOneNever() throws Exception {
        Liveness quiet = new Liveness(null, Integer.MAX_VALUE);
        Liveness busy = new Liveness(null, Integer.MAX_VALUE);
        List<Integer> quietHeard = new CopyOnWriteArrayList<>();
        List<Integer> busyHeard = new CopyOnWriteArrayList<>();
        on(() -> {
            heartbeats.track(loop, quiet, quietHeard::add);
            heartbeats.track(loop, busy, busyHeard::add);
        });
        // The busy one reads every 10 ms, as a client answering pings or sending frames would.
        var reads = loop.scheduleAtFixedRate(busy::noteRead, 0, 10, TimeUnit.MILLISECONDS);
        await(() -> quietHeard.size() >= 3);
        reads.cancel(false);

        assertThat(busyHeard).isEmpty();
        assertThat(quietHeard).isSorted().doesNotHaveDuplicates();
    }

    @Test
    void aReadStartsANewStreakAndAnUntrackedConnectionHearsNothing() throws Exception {
        Liveness revived = new Liveness(null, Integer.MAX_VALUE);
        Liveness gone = new Liveness(null, Integer.MAX_VALUE);
        List<Integer> revivedHeard = new CopyOnWriteArrayList<>();
        List<Integer> goneHeard = new CopyOnWriteArrayList<>();
        on(() -> {
            heartbeats.track(loop, gone, goneHeard::add);
            heartbeats.track(loop, revived, revivedHeard::add);
            heartbeats.untrack(loop, gone);
        });
        await(() -> revivedHeard.size() == 1);
        on(revived::noteRead);
        await(() -> revivedHeard.size() == 2);
        // Counted again from the read: its first interval is heard a second time.
        assertThat(revivedHeard).containsExactly(1, 1);
        assertThat(goneHeard).isEmpty();
        assertThat(gone.slot).isEqualTo(-1);
    }

    @Test
    void connectionsClosedDuringASweepDoNotHideTheOthers() throws Exception {
        int count = 50;
        List<Liveness> all = new ArrayList<>();
        List<Integer> heard = new CopyOnWriteArrayList<>();
        on(() -> {
            for (int i = 0; i < count; i++) {
                Liveness liveness = new Liveness(null, Integer.MAX_VALUE);
                all.add(liveness);
                int id = i;
                // Every other connection closes (untracks itself) as soon as it is told, as an idle close would.
                heartbeats.track(loop, liveness, intervals -> {
                    heard.add(id);
                    if (id % 2 == 0) {
                        heartbeats.untrack(loop, liveness);
                    }
                });
            }
        });
        await(() -> heard.stream().distinct().count() == count);
        on(() -> {
            // Every connection was told; the closed ones exactly once, and only the others are still swept.
            assertThat(heard.stream().filter(id -> id % 2 == 0).count()).isEqualTo(count / 2);
            assertThat(all.stream().filter(l -> l.slot >= 0).count()).isEqualTo(count / 2);
        });
    }

    private void on(Runnable task) throws Exception {
        loop.submit(task).get(5, TimeUnit.SECONDS);
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waited 10 s").isLessThan(deadline);
            Thread.sleep(5);
        }
    }
}
