package im.parley.typing;

import java.time.Clock;

class InMemoryThrottleTest extends ThrottleContract {

    @Override
    Throttle throttle() {
        return new InMemoryThrottle(Clock.systemUTC());
    }
}
