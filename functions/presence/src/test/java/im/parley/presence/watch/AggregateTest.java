package im.parley.presence.watch;

import static org.assertj.core.api.Assertions.assertThat;

import im.parley.eventing.presence.PresenceState;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AggregateTest {

    @Test
    void oneActiveDeviceMakesTheUserOnlineAndOnlyAllAwayMakesThemAway() {
        assertThat(Aggregate.of(Set.of(), Set.of("phone"))).isEqualTo(new Aggregate(PresenceState.OFFLINE, 0));
        assertThat(Aggregate.of(Set.of("phone", "laptop"), Set.of("phone"))).isEqualTo(new Aggregate(PresenceState.ONLINE, 2));
        assertThat(Aggregate.of(Set.of("phone", "laptop"), Set.of("phone", "laptop", "old")))
                .isEqualTo(new Aggregate(PresenceState.AWAY, 2));
        assertThat(Aggregate.of(Set.of("phone"), Set.of())).isEqualTo(new Aggregate(PresenceState.ONLINE, 1));
    }
}
