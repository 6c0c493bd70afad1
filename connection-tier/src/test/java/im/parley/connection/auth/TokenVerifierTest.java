package im.parley.connection.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
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

    static String token(JWSAlgorithm algorithm, byte[] key, JWTClaimsSet claims) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader(algorithm), claims);
        jwt.sign(new MACSigner(key));
        return jwt.serialize();
    }

    static JWTClaimsSet.Builder claims(String user) {
        return new JWTClaimsSet.Builder().subject(user).expirationTime(Date.from(Instant.now().plusSeconds(300)));
    }

    @Test
    void anUnsignedTokenIsRefused() {
        String none = new PlainJWT(claims("a").claim("did", "d").build()).serialize();
        assertThatThrownBy(() -> verifier.verify(none, "d")).isInstanceOf(AuthenticationException.class)
                .hasMessageStartingWith("token invalid");
    }

    @Test
    void aTokenSignedWithAnotherAlgorithmIsRefused() throws Exception {
        // The right secret, but HS512: one algorithm per verifier.
        byte[] key = (SECRET + SECRET).getBytes(StandardCharsets.UTF_8);
        TokenVerifier longKey = TokenVerifier.hs256(SECRET + SECRET, null);
        assertThatThrownBy(() -> longKey.verify(token(JWSAlgorithm.HS512, key, claims("a").build()), "d"))
                .hasMessageStartingWith("token invalid");
        assertThat(longKey.verify(token(JWSAlgorithm.HS256, key, claims("a").build()), "d").userId()).isEqualTo("a");
    }

    @Test
    void notBeforeHoldsWithABoundedClockSkew() throws Exception {
        byte[] key = SECRET.getBytes(StandardCharsets.UTF_8);
        Instant now = Instant.now();
        String later = token(JWSAlgorithm.HS256, key, claims("a").notBeforeTime(Date.from(now.plusSeconds(120))).build());
        assertThatThrownBy(() -> verifier.verify(later, "d")).hasMessage("token not valid yet");
        String skewed = token(JWSAlgorithm.HS256, key, claims("a").notBeforeTime(Date.from(now.plusSeconds(10))).build());
        assertThat(verifier.verify(skewed, "d").userId()).as("within the skew").isEqualTo("a");
        String expiredJustNow = token(JWSAlgorithm.HS256, key, new JWTClaimsSet.Builder().subject("a")
                .expirationTime(Date.from(now.minusSeconds(10))).build());
        assertThat(verifier.verify(expiredJustNow, "d").userId()).as("within the skew").isEqualTo("a");
        String expired = token(JWSAlgorithm.HS256, key, new JWTClaimsSet.Builder().subject("a")
                .expirationTime(Date.from(now.minusSeconds(TokenVerifier.CLOCK_SKEW_SECONDS + 10))).build());
        assertThatThrownBy(() -> verifier.verify(expired, "d")).hasMessage("token expired");
    }

    @Test
    void anAudienceIsEnforcedWhenConfiguredAndProductionRequiresOne() throws Exception {
        byte[] key = SECRET.getBytes(StandardCharsets.UTF_8);
        TokenVerifier withAudience = TokenVerifier.hs256(SECRET, null, "parley.im/chat");
        assertThat(withAudience.verify(token(JWSAlgorithm.HS256, key, claims("a").audience("parley.im/chat").build()), "d")
                .userId()).isEqualTo("a");
        assertThatThrownBy(() -> withAudience.verify(token(JWSAlgorithm.HS256, key, claims("a").audience("other").build()), "d"))
                .hasMessageStartingWith("token rejected");
        assertThatThrownBy(() -> withAudience.verify(token(JWSAlgorithm.HS256, key, claims("a").build()), "d"))
                .hasMessageStartingWith("token rejected");
        assertThatThrownBy(() -> TokenVerifier.rs256("https://id.parley.im/jwks", null, null))
                .hasMessageContaining("PARLEY_JWT_AUDIENCE");
    }

    @Test
    void theJwksUrlMustBeHttpsOutsideLoopback() {
        assertThatThrownBy(() -> TokenVerifier.jwks("http://id.parley.im/jwks")).hasMessageContaining("must be https:");
        assertThat(TokenVerifier.jwks("https://id.parley.im/jwks").getProtocol()).isEqualTo("https");
        assertThat(TokenVerifier.jwks("http://127.0.0.1:9000/jwks").getHost()).isEqualTo("127.0.0.1");
    }
}
