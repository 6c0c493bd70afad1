package im.parley.eventing.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class KafkaSecurityTest {

    @Test
    void scramOverTlsBecomesTheClientPropertiesAndThePasswordIsNeverPrinted() {
        KafkaSecurity security = KafkaSecurity.fromEnv(Map.of("PARLEY_KAFKA_SECURITY_PROTOCOL", "SASL_SSL",
                "PARLEY_KAFKA_USERNAME", "connection-tier", "PARLEY_KAFKA_PASSWORD", "p\"w", "PARLEY_KAFKA_CA_CERT", "/ca/ca.crt"));
        assertThat(security.clientProperties()).containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("sasl.mechanism", "SCRAM-SHA-512")
                .containsEntry("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required "
                        + "username=\"connection-tier\" password=\"p\\\"w\";")
                .containsEntry("ssl.truststore.type", "PEM").containsEntry("ssl.truststore.location", "/ca/ca.crt");
        assertThat(security.toString()).doesNotContain("p\"w");
        assertThat(KafkaSecurity.fromEnv(Map.of()).clientProperties()).containsOnly(Map.entry("security.protocol", "PLAINTEXT"));
    }

    @Test
    void incompleteSettingsAreRefusedAtStart() {
        assertThatThrownBy(() -> KafkaSecurity.fromEnv(Map.of("PARLEY_KAFKA_SECURITY_PROTOCOL", "SASL_SSL")))
                .hasMessageContaining("PARLEY_KAFKA_USERNAME and PARLEY_KAFKA_PASSWORD");
        assertThatThrownBy(() -> KafkaSecurity.fromEnv(Map.of("PARLEY_KAFKA_SECURITY_PROTOCOL", "TLS")))
                .hasMessageContaining("must be one of");
        assertThatThrownBy(() -> KafkaSecurity.fromEnv(Map.of("PARLEY_KAFKA_SECURITY_PROTOCOL", "SASL_SSL",
                "PARLEY_KAFKA_SASL_MECHANISM", "PLAIN", "PARLEY_KAFKA_USERNAME", "u", "PARLEY_KAFKA_PASSWORD", "p")))
                .hasMessageContaining("PARLEY_KAFKA_SASL_MECHANISM");
    }
}
