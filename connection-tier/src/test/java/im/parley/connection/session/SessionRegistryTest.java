package im.parley.connection.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.embedded.EmbeddedChannel;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SessionRegistryTest {

    @Test
    void aNewerSocketReplacesTheOlderAndTheOlderCannotUnregisterIt() {
        SessionRegistry sessions = new SessionRegistry();
        EmbeddedChannel old = new EmbeddedChannel();
        EmbeddedChannel newer = new EmbeddedChannel();
        assertThat(sessions.register("alice", "phone", old)).isNull();
        assertThat(sessions.register("alice", "phone", newer)).isSameAs(old);
        assertThat(sessions.unregister("alice", "phone", old)).isFalse();
        assertThat(sessions.find("alice", "phone")).isSameAs(newer);
        sessions.register("alice", "laptop", old);
        assertThat(sessions.devices()).containsExactlyInAnyOrder(Map.entry("alice", "phone"), Map.entry("alice", "laptop"));
        assertThat(sessions.unregister("alice", "phone", newer)).isTrue();
        assertThat(sessions.size()).isEqualTo(1);
    }
}
