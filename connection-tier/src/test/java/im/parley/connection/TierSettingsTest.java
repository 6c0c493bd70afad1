package im.parley.connection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TierSettingsTest {

    static Map<String, String> env(String... more) {
        Map<String, String> env = new HashMap<>(Map.of("PARLEY_KAFKA_BOOTSTRAP", "k:9092", "PARLEY_REDIS_URI", "redis://r",
                "PARLEY_JWT_SECRET", "a-development-secret-of-32-bytes-or-more"));
        for (int i = 0; i < more.length; i += 2) {
            env.put(more[i], more[i + 1]);
        }
        return env;
    }

    @Test
    void aUsersRateIsTwiceAConnectionsUnlessSetAndNeverLess() {
        TierSettings defaults = TierSettings.fromEnv(env());
        assertThat(defaults.userRatePerSecond()).isEqualTo(100);
        assertThat(defaults.userRateBurst()).isEqualTo(200);
        TierSettings raised = TierSettings.fromEnv(env("PARLEY_RATE_PER_SECOND", "200", "PARLEY_RATE_BURST", "400"));
        assertThat(raised.userRatePerSecond()).isEqualTo(400);
        assertThat(raised.userRateBurst()).isEqualTo(800);
        assertThatThrownBy(() -> TierSettings.fromEnv(env("PARLEY_USER_RATE_PER_SECOND", "10")))
                .hasMessageContaining("PARLEY_USER_RATE_");
    }

    @Test
    void kafkaCredentialsComeFromTheEnvironment() {
        TierSettings settings = TierSettings.fromEnv(env("PARLEY_KAFKA_SECURITY_PROTOCOL", "SASL_SSL",
                "PARLEY_KAFKA_USERNAME", "connection-tier", "PARLEY_KAFKA_PASSWORD", "secret", "PARLEY_REDIS_CA_CERT", "/ca"));
        assertThat(settings.kafkaSecurity().clientProperties()).containsEntry("security.protocol", "SASL_SSL");
        assertThat(settings.redisCaCert()).isEqualTo("/ca");
    }
}
