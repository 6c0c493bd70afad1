package im.parley.friend;

import static org.assertj.core.api.Assertions.assertThat;

import im.parley.functions.handlers.TriggerTypes;
import org.junit.jupiter.api.Test;

class FriendFunctionTest {

    @Test
    void itHandlesExactlyItsTriggersTypes() {
        // Routing only: no handler runs, so no store is needed.
        FriendFunction function = new FriendFunction(null, new FriendRules(5000), null, null, null);
        assertThat(function.handlers().types()).containsExactlyInAnyOrderElementsOf(TriggerTypes.of("friend-request"));
    }
}
