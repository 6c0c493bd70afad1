package im.parley.presence.watch;

import im.parley.delivery.Deliveries;
import im.parley.social.SocialGraph;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Settles a user whose debounce window has passed: works out their state over their devices and, if it differs
 * from what watchers were last told, tells their friends and explicit watchers (never a group, never someone
 * blocked either way). A {@code DueSweeper} hands it each due user once, across replicas.
 */
public final class PresenceSettler implements Consumer<String> {

    private final PresenceBoard board;
    private final SocialGraph graph;
    private final Deliveries deliveries;
    private final Clock clock;

    public PresenceSettler(PresenceBoard board, SocialGraph graph, Deliveries deliveries, Clock clock) {
        this.board = board;
        this.graph = graph;
        this.deliveries = deliveries;
        this.clock = clock;
    }

    @Override
    public void accept(String userId) {
        Aggregate now = board.current(userId);
        Published last = board.published(List.of(userId)).get(userId);
        if (last != null && last.state() == now.state()) {
            return;
        }
        Published next = new Published(now.state(), clock.millis());
        board.publish(userId, next);
        Set<String> watchers = graph.friendsAnd(userId, board.watchersOf(userId)); // a watch never crosses a block
        watchers.remove(userId);
        if (watchers.isEmpty()) {
            return;
        }
        deliveries.toUsers(watchers, null, PresenceFunction.frame(userId, next));
    }
}
