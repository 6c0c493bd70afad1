package im.parley.connection.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class TokenVerifierTest {

    private static final String SECRET = "unit-test-secret-that-is-32-bytes-or-more";
    private final TokenVerifier verifier = TokenVerifier.hs256(SECRET, null);

    @Test
    void aPinnedDeviceWinsOverTheOneTheClientNames() throws Exception {
        Principal p = verifier.verify(DevTokens.mint(SECRET, "alice", "phone", Duration.ofMinutes(1)), "laptop");
        assertThat(p.userId()).isEqualTo("alice");
        assertThat(p.deviceId()).isEqualTo("phone");
        assertThat(verifier.verify(DevTokens.mint(SECRET, "alice", null, Duration.ofMinutes(1)), "laptop").deviceId())
                .isEqualTo("laptop");
    }

    @Test
    void refusesWithAReason() {
        assertThatThrownBy(() -> verifier.verify(null, "d")).hasMessage("token missing");
        assertThatThrownBy(() -> verifier.verify(DevTokens.mint(SECRET, "a", null, Duration.ofMinutes(-5)), "d"))
                .hasMessage("token expired");
        assertThatThrownBy(() -> verifier.verify(DevTokens.mint(SECRET, "a", null, Duration.ofMinutes(1)), null))
                .hasMessageContaining("device missing");
        assertThatThrownBy(() -> verifier.verify(DevTokens.mint(SECRET, "bad user", null, Duration.ofMinutes(1)), "d"))
                .hasMessageContaining("not a valid user id");
        assertThatThrownBy(() -> TokenVerifier.hs256("another-secret-of-at-least-32-bytes!!", null)
                .verify(DevTokens.mint(SECRET, "a", null, Duration.ofMinutes(1)), "d"))
                .hasMessageStartingWith("token invalid");
    }

    @Test
    void anIssuerIsEnforcedWhenConfigured() {
        TokenVerifier strict = TokenVerifier.hs256(SECRET, "https://id.parley.im");
        assertThatThrownBy(() -> strict.verify(DevTokens.mint(SECRET, "a", "d", Duration.ofMinutes(1)), null))
                .hasMessageStartingWith("token rejected");
    }
}
