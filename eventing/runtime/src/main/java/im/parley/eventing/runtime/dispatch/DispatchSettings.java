package im.parley.eventing.runtime.dispatch;

import java.time.Duration;

/**
 * How a replica consumes.
 *
 * @param autoOffsetReset  where a Trigger's new consumer group starts: {@code latest}, as Knative's data plane
 * @param maxInFlight      events in flight at once for an unordered Trigger (Knative: {@code max.poll.records})
 * @param maxWaiting       records buffered per partition before the partition is paused
 * @param defaultTimeout   the per-attempt timeout of a Trigger whose delivery spec sets none
 * @param stopGrace        how long a stopping replica waits for events in flight before it gives them up
 *                         (uncommitted, so the next owner gets them again)
 * @param sessionTimeout   how soon the group notices a replica that died without leaving, and hands its
 *                         partitions on
 * @param commitInterval   how often finished offsets are committed; each commit is a write to Kafka's offsets topic,
 *                         so committing often loads the broker as much as the events do (at 100 ms, a fifth of its
 *                         request handling); a crash replays at most this much. Knative commits every 5 s; 1 s keeps
 *                         the lag KEDA reads close to the truth
 * @param heartbeat        how often a replica heartbeats to its group. Members learn of a rebalance at their next
 *                         heartbeat, and a partition moved to a new replica has no owner until every member has
 *                         rejoined: with Kafka's usual 3 s a scale-up stalled the moved partitions for up to 3.3 s
 *                         (decision 0035); each heartbeat is one small request per replica
 */
public record DispatchSettings(String autoOffsetReset, int maxInFlight, int maxWaiting, Duration pollTimeout,
                               Duration defaultTimeout, Duration stopGrace, Duration sessionTimeout,
                               Duration commitInterval, Duration heartbeat) {

    public static DispatchSettings defaults() {
        return new DispatchSettings("latest", 500, 2000, Duration.ofMillis(500), Duration.ofSeconds(60),
                Duration.ofSeconds(30), Duration.ofSeconds(10), Duration.ofSeconds(1), Duration.ofMillis(300));
    }

    public DispatchSettings withAutoOffsetReset(String reset) {
        return new DispatchSettings(reset, maxInFlight, maxWaiting, pollTimeout, defaultTimeout, stopGrace, sessionTimeout,
                commitInterval, heartbeat);
    }

    public DispatchSettings withSessionTimeout(Duration timeout) {
        return new DispatchSettings(autoOffsetReset, maxInFlight, maxWaiting, pollTimeout, defaultTimeout, stopGrace, timeout,
                commitInterval, heartbeat);
    }

    public DispatchSettings withHeartbeat(Duration interval) {
        return new DispatchSettings(autoOffsetReset, maxInFlight, maxWaiting, pollTimeout, defaultTimeout, stopGrace,
                sessionTimeout, commitInterval, interval);
    }
}
