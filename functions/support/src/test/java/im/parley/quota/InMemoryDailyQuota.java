package im.parley.quota;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** A daily quota in memory, for unit tests; {@link DailyQuotaContract} holds it to what Redis answers. */
public final class InMemoryDailyQuota implements DailyQuota {

    private final int limit;
    private final Clock clock;
    private final Map<String, Set<String>> days = new ConcurrentHashMap<>();

    public InMemoryDailyQuota(int limit, Clock clock) {
        this.limit = limit;
        this.clock = clock;
    }

    @Override
    public synchronized boolean take(String userId, String eventId) {
        Set<String> day = days.computeIfAbsent(userId + " " + LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC),
                k -> new LinkedHashSet<>());
        if (day.contains(eventId)) {
            return true;
        }
        if (day.size() >= limit) {
            return false;
        }
        return day.add(eventId);
    }

    @Override
    public int limit() {
        return limit;
    }
}
