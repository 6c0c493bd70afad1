package im.parley.due;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Claims due members of a {@link DueSet} every period on its own thread and hands each to the work; a member
 * whose work fails is scheduled again a second later. Closing lets a sweep under way finish, since the members it
 * has claimed are no longer in the set.
 */
public final class DueSweeper implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DueSweeper.class);
    private static final int CLAIM = 500;
    /** Long enough for a sweep's store calls to finish or time out. */
    static final Duration CLOSE_GRACE = Duration.ofSeconds(10);

    private final DueSet due;
    private final Consumer<String> work;
    private final Clock clock;
    private ScheduledExecutorService timer;
    private volatile boolean closing;

    public DueSweeper(DueSet due, Consumer<String> work, Clock clock) {
        this.due = due;
        this.work = work;
        this.clock = clock;
    }

    public DueSweeper start(String name, long periodMillis) {
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, name);
            thread.setDaemon(true);
            return thread;
        });
        timer.scheduleWithFixedDelay(() -> {
            try {
                sweep();
            } catch (RuntimeException e) {
                if (closing) {
                    LOG.info("{}: a sweep was cut short by closing: {}", name, e.toString());
                } else {
                    LOG.warn("{}: sweep failed, trying again: {}", name, e.toString());
                }
            }
        }, periodMillis, periodMillis, TimeUnit.MILLISECONDS);
        return this;
    }

    /** Does the work of every member due now; returns how many were claimed. */
    public int sweep() {
        List<String> claimed = due.claim(clock.millis(), CLAIM);
        for (String member : claimed) {
            try {
                work.accept(member);
            } catch (RuntimeException e) {
                due.schedule(member, clock.millis() + 1_000);
                LOG.warn("work for {} failed; trying again in a second: {}", member, e.toString());
            }
        }
        return claimed.size();
    }

    @Override
    public void close() {
        if (timer == null) {
            return;
        }
        closing = true;
        timer.shutdown();
        try {
            if (!timer.awaitTermination(CLOSE_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                timer.shutdownNow();
            }
        } catch (InterruptedException e) {
            timer.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
