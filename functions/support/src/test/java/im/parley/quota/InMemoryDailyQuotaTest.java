package im.parley.quota;

import java.time.Clock;

class InMemoryDailyQuotaTest extends DailyQuotaContract {

    @Override
    protected DailyQuota quota(int limit, Clock clock) {
        return new InMemoryDailyQuota(limit, clock);
    }
}
