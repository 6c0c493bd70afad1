package im.parley.connection.heartbeat;

import io.netty.channel.EventLoop;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Heartbeats without a timer per socket: each event loop sweeps its connections a few times per ping interval
 * and tells those whose quiet reached another whole interval. Per-socket timers woke the loop once per
 * connection per interval; a sweep wakes it once per tick and sends that tick's pings together.
 */
public final class Heartbeats {

    private final long intervalNanos;
    private final long tickMillis;
    private final Map<EventLoop, Sweep> sweeps = new ConcurrentHashMap<>();

    public Heartbeats(Duration pingInterval) {
        this.intervalNanos = pingInterval.toNanos();
        // A quarter interval keeps pings at most 25% late, and never more than a second.
        this.tickMillis = Math.max(10, Math.min(1000, pingInterval.toMillis() / 4));
    }

    /** Starts watching a connection; call on its event loop. */
    public void track(EventLoop loop, Liveness liveness, Quiet listener) {
        sweeps.computeIfAbsent(loop, Sweep::new).add(liveness, listener);
    }

    /** Stops watching it; call on its event loop. Harmless if it was never tracked. */
    public void untrack(EventLoop loop, Liveness liveness) {
        Sweep sweep = sweeps.get(loop);
        if (sweep != null && liveness.slot >= 0) {
            sweep.remove(liveness);
        }
    }

    private final class Sweep {

        /** Only touched on its event loop; removal swaps the last entry in, so both ends are O(1). */
        private final ArrayList<Liveness> tracked = new ArrayList<>();

        Sweep(EventLoop loop) {
            loop.scheduleAtFixedRate(this::sweep, tickMillis, tickMillis, TimeUnit.MILLISECONDS);
        }

        void add(Liveness liveness, Quiet listener) {
            liveness.listener = listener;
            liveness.reported = 0;
            liveness.slot = tracked.size();
            tracked.add(liveness);
        }

        void remove(Liveness liveness) {
            Liveness last = tracked.remove(tracked.size() - 1);
            if (last != liveness) {
                tracked.set(liveness.slot, last);
                last.slot = liveness.slot;
            }
            liveness.slot = -1;
        }

        private void sweep() {
            long now = System.nanoTime();
            // Backwards: a listener that closes its connection may be removed during the sweep, which only moves
            // an already-visited entry into its place.
            for (int i = tracked.size() - 1; i >= 0; i--) {
                if (i >= tracked.size()) {
                    continue;
                }
                Liveness liveness = tracked.get(i);
                int intervals = (int) Math.min(Integer.MAX_VALUE, (now - liveness.lastReadNanos) / intervalNanos);
                if (intervals > liveness.reported) {
                    liveness.reported = intervals;
                    liveness.listener.onQuiet(intervals);
                }
            }
        }
    }
}
