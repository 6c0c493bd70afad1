package im.parley.e2e;

import com.datastax.oss.driver.api.core.CqlSession;
import im.parley.cassandra.CassandraSessions;
import im.parley.cassandra.CassandraSettings;
import im.parley.cassandra.CqlMigrations;
import im.parley.connection.ConnectionTier;
import im.parley.connection.TierSettings;
import im.parley.connection.auth.DevTokens;
import im.parley.eventing.broker.KafkaSecurity;
import im.parley.eventing.runtime.EventingRuntime;
import im.parley.eventing.runtime.RuntimeSettings;
import im.parley.eventing.runtime.dispatch.DispatchSettings;
import im.parley.eventing.runtime.scaling.HpaBehavior;
import im.parley.launcher.HostedFunctions;
import im.parley.stack.CassandraServer;
import im.parley.stack.KafkaServer;
import im.parley.stack.Ports;
import im.parley.stack.RedisServer;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * The whole system in this JVM, for full-stack tests: the eventing runtime on manifests/overlays/local with
 * every function module on the classpath, and one connection-tier node, over the real Kafka, Redis and Cassandra.
 * Each test class has its own Cassandra keyspace.
 */
final class FullStack implements AutoCloseable {

    static final String SECRET = "e2e-secret-that-is-at-least-32-bytes-long";

    final CassandraSettings cassandra;
    final EventingRuntime eventing;
    final ConnectionTier tier;

    private FullStack(CassandraSettings cassandra, EventingRuntime eventing, ConnectionTier tier) {
        this.cassandra = cassandra;
        this.eventing = eventing;
        this.tier = tier;
    }

    static FullStack start(String keyspace, KafkaServer kafka, RedisServer redis, CassandraServer server) throws Exception {
        return start(keyspace, kafka, redis, server, Map.of());
    }

    /** @param subscribers functions served elsewhere (service name to URL) instead of in this JVM */
    static FullStack start(String keyspace, KafkaServer kafka, RedisServer redis, CassandraServer server,
                           Map<String, URI> subscribers) throws Exception {
        return start(keyspace, kafka, redis, server, subscribers, Map.of());
    }

    /** @param functionSettings more function settings, such as the push providers' */
    static FullStack start(String keyspace, KafkaServer kafka, RedisServer redis, CassandraServer server,
                           Map<String, URI> subscribers, Map<String, String> functionSettings) throws Exception {
        CassandraSettings settings = new CassandraSettings(server.host(), server.port(), server.localDatacenter(), keyspace,
                CassandraSettings.LOCAL_REPLICATION);
        try (CqlSession session = CassandraSessions.connect(settings)) {
            CqlMigrations.apply(session, settings);
        }
        EventingRuntime eventing = EventingRuntime.start(new RuntimeSettings(kafka.bootstrapServers(),
                Path.of("../manifests/overlays/local"), subscribers,
                HostedFunctions.discover(merged(functionEnvironment(keyspace, redis, server), functionSettings)),
                DispatchSettings.defaults(), HpaBehavior.kubernetesDefaults(), "127.0.0.1", -1, 0));
        try {
            eventing.awaitReady(Duration.ofSeconds(60));
            // Presence lives 15 s and is refreshed every 5 s, so after a Redis flush the node is found again soon.
            ConnectionTier tier = ConnectionTier.start(new TierSettings("e2e-" + keyspace.replace('_', '-'), "127.0.0.1",
                    Ports.free(), Ports.free(), kafka.bootstrapServers(), "parley",
                    redis.uri(), SECRET, null, null, null, 64 * 1024, 200, 400, 1 << 20, Duration.ofSeconds(25),
                    Duration.ofSeconds(70), Duration.ofSeconds(15), Duration.ofSeconds(5), null, null, 0, 10, 400, 800, KafkaSecurity.NONE, null));
            return new FullStack(settings, eventing, tier);
        } catch (Exception | Error e) {
            eventing.close();
            throw e;
        }
    }

    /** What a function needs to reach the stores, as environment variables. */
    static Map<String, String> functionEnvironment(String keyspace, RedisServer redis, CassandraServer server) {
        return Map.of("PARLEY_REDIS_URI", redis.uri(),
                "PARLEY_CASSANDRA_CONTACT_POINTS", server.host() + ":" + server.port(),
                "PARLEY_CASSANDRA_DATACENTER", server.localDatacenter(),
                "PARLEY_CASSANDRA_KEYSPACE", keyspace);
    }

    /**
     * What a function served over HTTP needs to take only the runtime's dispatchers as senders: its audience as
     * manifests/base names it, and the runtime as the issuer, as a cluster's functions are set.
     */
    static Map<String, String> senderSettings(EventingRuntime eventing, String service) {
        return Map.of("PARLEY_EVENT_AUDIENCE", "parley.im/functions/" + service,
                "PARLEY_EVENT_ISSUER", eventing.ingressUri().toString(),
                "PARLEY_EVENT_SENDERS", "system:serviceaccount:parley:*-oidc-eventing.knative.dev-trigger");
    }

    private static Map<String, Object> merged(Map<String, String> a, Map<String, String> b) {
        Map<String, Object> all = new java.util.HashMap<>(a);
        all.putAll(b);
        return Map.copyOf(all);
    }

    CqlSession cql() {
        return CassandraSessions.connectToKeyspace(cassandra);
    }

    /** The tier's WebSocket endpoint, for the clients (clients/java, clients/js). */
    URI webSocket() {
        return URI.create("ws://127.0.0.1:" + tier.port() + "/ws");
    }

    static String token(String user) {
        return DevTokens.mint(SECRET, user, null, Duration.ofMinutes(30));
    }

    Socket open(String user, String device) throws Exception {
        return Socket.open(tier.port(), token(user), device);
    }

    /** Connected, without waiting for the welcome: for opening many sockets at once. */
    Socket connect(String user, String device) throws Exception {
        return Socket.connect(tier.port(), token(user), device);
    }

    static String send(String conversation, String clientMsgId, String text) {
        return "{\"v\":1,\"t\":\"send\",\"d\":{\"conversationId\":\"" + conversation + "\",\"clientMsgId\":\"" + clientMsgId
                + "\",\"contentType\":\"text\",\"content\":\"" + text + "\"}}";
    }

    @Override
    public void close() {
        if (tier != null) {
            tier.close();
        }
        eventing.close();
    }
}
