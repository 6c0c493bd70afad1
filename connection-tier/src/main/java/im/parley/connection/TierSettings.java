package im.parley.connection;

import im.parley.eventing.broker.KafkaSecurity;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

/**
 * Everything the connection tier can be told, read from the environment (PARLEY_* variables).
 *
 * @param nodeId         this node's id; deliveries are addressed to it (default: a random one per start)
 * @param host           address the WebSocket port binds to (default 0.0.0.0)
 * @param port           WebSocket port (default 8080); several processes may share it (SO_REUSEPORT)
 * @param adminPort      health, readiness and Prometheus metrics (default 8081; 0 picks a free one)
 * @param kafkaBootstrap Kafka bootstrap servers of the broker
 * @param brokerNamespace the namespace of the Knative Kafka Brokers (default parley): each event goes to the topic
 *                       of the broker the catalog names for its type, knative-broker-&lt;namespace&gt;-&lt;broker&gt;
 * @param redisUri       Redis for presence and the delivery channel: rediss://user:password@host:port in production
 * @param jwtSecret      HS256 secret (development); mutually exclusive with jwksUrl
 * @param jwksUrl        JWKS URL for RS256 tokens (production)
 * @param jwtIssuer      required iss claim, if set
 * @param jwtAudience    required aud claim: checked when set, and required with a JWKS URL (production)
 * @param maxFrameBytes  largest accepted frame (default 64 KiB); larger closes with 1009
 * @param ratePerSecond  sustained frames per second per connection (default 50)
 * @param rateBurst      burst size of the per-connection token bucket (default 100)
 * @param outboundBytes  bytes queued for a socket before its client counts as too slow (default 1 MiB)
 * @param pingInterval   a ping is sent after this long without writes (default 25 s)
 * @param idleTimeout    a connection with nothing read for this long is closed (default 70 s)
 * @param presenceTtl    how long a presence entry lives unless refreshed (default 90 s)
 * @param drainGrace     time given to clients to leave on shutdown (default 10 s)
 * @param tlsCert        PEM certificate chain for TLS, optional
 * @param tlsKey         PEM private key for TLS, optional
 * @param ioThreads      socket event-loop threads (default 0: twice the cores); dense hosts with several
 *                       processes per core want 1
 * @param maxDevices     live devices per user (default 10); one more is closed with 4403
 * @param userRatePerSecond sustained frames per second per user, over all the user's connections to this node
 *                       (default twice a connection's: 100)
 * @param userRateBurst  burst size of the per-user token bucket (default twice a connection's: 200)
 * @param kafkaSecurity  how the producer authenticates to Kafka: SCRAM over TLS in production (PARLEY_KAFKA_*)
 * @param redisCaCert    PEM CA that signed Redis's certificate, for rediss:// (PARLEY_REDIS_CA_CERT), optional
 */
public record TierSettings(String nodeId, String host, int port, int adminPort, String kafkaBootstrap,
                           String brokerNamespace, String redisUri, String jwtSecret, String jwksUrl, String jwtIssuer,
                           String jwtAudience, int maxFrameBytes, double ratePerSecond, int rateBurst, int outboundBytes,
                           Duration pingInterval, Duration idleTimeout, Duration presenceTtl, Duration drainGrace,
                           String tlsCert, String tlsKey, int ioThreads, int maxDevices, double userRatePerSecond,
                           int userRateBurst, KafkaSecurity kafkaSecurity,
                           String redisCaCert) {

    public static TierSettings fromEnv(Map<String, String> env) {
        double connectionRate = Double.parseDouble(env.getOrDefault("PARLEY_RATE_PER_SECOND", "50"));
        int connectionBurst = integer(env, "PARLEY_RATE_BURST", 100);
        return new TierSettings(
                env.getOrDefault("PARLEY_NODE_ID", "node-" + UUID.randomUUID().toString().substring(0, 8)),
                env.getOrDefault("PARLEY_HOST", "0.0.0.0"),
                integer(env, "PARLEY_PORT", 8080),
                integer(env, "PARLEY_ADMIN_PORT", 8081),
                required(env, "PARLEY_KAFKA_BOOTSTRAP"),
                env.getOrDefault("PARLEY_BROKER_NAMESPACE", "parley"),
                required(env, "PARLEY_REDIS_URI"),
                env.get("PARLEY_JWT_SECRET"),
                env.get("PARLEY_JWKS_URL"),
                env.get("PARLEY_JWT_ISSUER"),
                env.get("PARLEY_JWT_AUDIENCE"),
                integer(env, "PARLEY_MAX_FRAME_BYTES", 64 * 1024),
                connectionRate,
                connectionBurst,
                integer(env, "PARLEY_OUTBOUND_BYTES", 1024 * 1024),
                Duration.parse(env.getOrDefault("PARLEY_PING_INTERVAL", "PT25S")),
                Duration.parse(env.getOrDefault("PARLEY_IDLE_TIMEOUT", "PT70S")),
                Duration.parse(env.getOrDefault("PARLEY_PRESENCE_TTL", "PT90S")),
                Duration.parse(env.getOrDefault("PARLEY_DRAIN_GRACE", "PT10S")),
                env.get("PARLEY_TLS_CERT"),
                env.get("PARLEY_TLS_KEY"),
                integer(env, "PARLEY_IO_THREADS", 0),
                integer(env, "PARLEY_MAX_DEVICES", 10),
                Double.parseDouble(env.getOrDefault("PARLEY_USER_RATE_PER_SECOND", String.valueOf(2 * connectionRate))),
                integer(env, "PARLEY_USER_RATE_BURST", 2 * connectionBurst),
                KafkaSecurity.fromEnv(env),
                env.get("PARLEY_REDIS_CA_CERT"));
    }

    public TierSettings {
        if ((jwtSecret == null) == (jwksUrl == null)) {
            throw new IllegalArgumentException("set exactly one of PARLEY_JWT_SECRET (HS256) and PARLEY_JWKS_URL (RS256)");
        }
        if (kafkaSecurity == null) {
            throw new IllegalArgumentException("kafkaSecurity is required (KafkaSecurity.NONE in development)");
        }
        if (jwksUrl != null && (jwtAudience == null || jwtAudience.isBlank())) {
            throw new IllegalArgumentException("PARLEY_JWKS_URL (production tokens) needs PARLEY_JWT_AUDIENCE");
        }
        if (jwtSecret != null && jwtSecret.getBytes(java.nio.charset.StandardCharsets.UTF_8).length < 32) {
            throw new IllegalArgumentException("PARLEY_JWT_SECRET must be at least 32 bytes for HS256");
        }
        if ((tlsCert == null) != (tlsKey == null)) {
            throw new IllegalArgumentException("TLS needs both PARLEY_TLS_CERT and PARLEY_TLS_KEY");
        }
        if (maxDevices < 1) {
            throw new IllegalArgumentException("PARLEY_MAX_DEVICES must be at least 1");
        }
        if (userRatePerSecond < ratePerSecond || userRateBurst < rateBurst) {
            throw new IllegalArgumentException("a user's rate (PARLEY_USER_RATE_*) must allow at least one connection's");
        }
        if (ioThreads < 0) {
            throw new IllegalArgumentException("PARLEY_IO_THREADS must be 0 (the default) or more");
        }
        if (idleTimeout.compareTo(pingInterval) <= 0) {
            throw new IllegalArgumentException("the idle timeout must be longer than the ping interval");
        }
    }

    private static String required(Map<String, String> env, String name) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " is required");
        }
        return value;
    }

    private static int integer(Map<String, String> env, String name, int fallback) {
        String value = env.get(name);
        if (value == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a number, not " + value);
        }
    }
}
