package im.parley.typing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/** A {@link Throttle} in a map, for unit tests; it passes {@link ThrottleContract} as the Redis one does. */
final class InMemoryThrottle implements Throttle {

    private final Map<String, Instant> until = new HashMap<>();
    private final Clock clock;

    InMemoryThrottle(Clock clock) {
        this.clock = clock;
    }

    @Override
    public synchronized boolean admit(String key, Duration interval) {
        Instant now = clock.instant();
        Instant end = until.get(key);
        if (end != null && now.isBefore(end)) {
            return false;
        }
        until.put(key, now.plus(interval));
        return true;
    }
}
