package im.parley.presence.watch;

import im.parley.eventing.delivery.DeliveryBatch;
import im.parley.eventing.message.DeviceRef;
import im.parley.presence.Presence;
import java.time.Clock;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Settles users whose debounce window has passed: works out their state over their devices and, if it differs from
 * what watchers were last told, tells their friends and explicit watchers (never a group, never someone they
 * blocked). Each due user is claimed by one replica; one that fails is put back to settle again a second later.
 */
public final class PresenceSettler implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PresenceSettler.class);
    private static final int CLAIM = 500;

    private final PresenceBoard board;
    private final SocialGraph graph;
    private final Presence presence;
    private final Consumer<DeliveryBatch> deliveries;
    private final Clock clock;
    private ScheduledExecutorService timer;

    public PresenceSettler(PresenceBoard board, SocialGraph graph, Presence presence, Consumer<DeliveryBatch> deliveries,
                           Clock clock) {
        this.board = board;
        this.graph = graph;
        this.presence = presence;
        this.deliveries = deliveries;
        this.clock = clock;
    }

    /** Looks for due users every {@code periodMillis}. */
    public PresenceSettler start(long periodMillis) {
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "presence-settler");
            thread.setDaemon(true);
            return thread;
        });
        timer.scheduleWithFixedDelay(this::safeSettleDue, periodMillis, periodMillis, TimeUnit.MILLISECONDS);
        return this;
    }

    private void safeSettleDue() {
        try {
            settleDue();
        } catch (RuntimeException e) {
            LOG.warn("presence settling failed; retrying: {}", e.toString());
        }
    }

    /** Settles every user due now; returns how many were claimed. */
    public int settleDue() {
        List<String> due = board.claimDue(clock.millis(), CLAIM);
        for (String user : due) {
            try {
                settle(user);
            } catch (RuntimeException e) {
                board.settleAt(user, clock.millis() + 1_000);
                LOG.warn("could not settle presence of {}; retrying: {}", user, e.toString());
            }
        }
        return due.size();
    }

    void settle(String userId) {
        Aggregate now = board.current(userId);
        Published last = board.published(List.of(userId)).get(userId);
        if (last != null && last.state() == now.state()) {
            return;
        }
        Published next = new Published(now.state(), clock.millis());
        board.publish(userId, next);
        Set<String> watchers = new LinkedHashSet<>(graph.friendsOf(userId));
        watchers.addAll(board.watchersOf(userId));
        watchers.removeAll(graph.blockedBy(userId));
        watchers.remove(userId);
        if (watchers.isEmpty()) {
            return;
        }
        var frame = PresenceFunction.frame(userId, next);
        for (Map.Entry<String, List<DeviceRef>> node : presence.byNode(watchers, null).entrySet()) {
            deliveries.accept(DeliveryBatch.of(node.getKey(), node.getValue(), frame));
        }
    }

    @Override
    public void close() {
        if (timer != null) {
            timer.shutdownNow();
        }
    }
}
