package im.parley.eventing.broker;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * How a Kafka client proves who it is: nothing (development), or SCRAM over TLS, as the production cluster's
 * listener requires, with the password of the client's KafkaUser and the cluster's CA certificate.
 *
 * @param protocol  PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL
 * @param mechanism SASL mechanism: SCRAM-SHA-512 or SCRAM-SHA-256
 * @param caCert    path of the PEM CA certificate to trust over TLS, or null for the JVM's trust store
 */
public record KafkaSecurity(String protocol, String mechanism, String username, String password, String caCert) {

    private static final Set<String> PROTOCOLS = Set.of("PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL");
    private static final Set<String> MECHANISMS = Set.of("SCRAM-SHA-512", "SCRAM-SHA-256");

    public static final KafkaSecurity NONE = new KafkaSecurity("PLAINTEXT", null, null, null, null);

    public KafkaSecurity {
        if (!PROTOCOLS.contains(protocol)) {
            throw new IllegalArgumentException("PARLEY_KAFKA_SECURITY_PROTOCOL must be one of " + PROTOCOLS + ", not " + protocol);
        }
        if (sasl(protocol)) {
            if (!MECHANISMS.contains(mechanism)) {
                throw new IllegalArgumentException("PARLEY_KAFKA_SASL_MECHANISM must be one of " + MECHANISMS);
            }
            if (blank(username) || blank(password)) {
                throw new IllegalArgumentException(protocol + " needs PARLEY_KAFKA_USERNAME and PARLEY_KAFKA_PASSWORD");
            }
        }
    }

    /**
     * {@code PARLEY_KAFKA_SECURITY_PROTOCOL} (default PLAINTEXT), {@code PARLEY_KAFKA_SASL_MECHANISM} (default
     * SCRAM-SHA-512), {@code PARLEY_KAFKA_USERNAME}, {@code PARLEY_KAFKA_PASSWORD}, {@code PARLEY_KAFKA_CA_CERT}.
     */
    public static KafkaSecurity fromEnv(Map<String, String> env) {
        return new KafkaSecurity(env.getOrDefault("PARLEY_KAFKA_SECURITY_PROTOCOL", "PLAINTEXT"),
                env.getOrDefault("PARLEY_KAFKA_SASL_MECHANISM", "SCRAM-SHA-512"), env.get("PARLEY_KAFKA_USERNAME"),
                env.get("PARLEY_KAFKA_PASSWORD"), env.get("PARLEY_KAFKA_CA_CERT"));
    }

    /** The client properties that say so. */
    public Map<String, Object> clientProperties() {
        Map<String, Object> properties = new HashMap<>();
        properties.put("security.protocol", protocol);
        if (sasl(protocol)) {
            properties.put("sasl.mechanism", mechanism);
            properties.put("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
                    + escape(username) + "\" password=\"" + escape(password) + "\";");
        }
        if (protocol.endsWith("SSL") && caCert != null) {
            properties.put("ssl.truststore.type", "PEM");
            properties.put("ssl.truststore.location", caCert);
        }
        return properties;
    }

    @Override
    public String toString() {
        return "KafkaSecurity[" + protocol + (sasl(protocol) ? " " + mechanism + " as " + username : "") + "]";
    }

    private static boolean sasl(String protocol) {
        return protocol.startsWith("SASL_");
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }

    private static String escape(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"");
    }
}
