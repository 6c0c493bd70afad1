package im.parley.soak;

import com.datastax.oss.driver.api.core.CqlSession;
import im.parley.cassandra.CassandraSessions;
import im.parley.cassandra.CassandraSettings;
import im.parley.cassandra.CqlMigrations;
import im.parley.connection.auth.DevTokens;
import im.parley.eventing.runtime.EventingRuntime;
import im.parley.eventing.runtime.RuntimeSettings;
import im.parley.eventing.runtime.dispatch.DispatchSettings;
import im.parley.eventing.runtime.scaling.HpaBehavior;
import im.parley.functions.hosting.FunctionHttpServer;
import im.parley.launcher.HostedFunctions;
import im.parley.stack.CassandraServer;
import im.parley.stack.DataDir;
import im.parley.stack.KafkaServer;
import im.parley.stack.ManagedProcess;
import im.parley.stack.Ports;
import im.parley.stack.RedisServer;
import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The system as the soak runs it, each part a process it can kill: Kafka, Redis and Cassandra (the harness's
 * servers), the messaging service (sequence|persist|fanout) as its own Knative-Service-like process, and a
 * connection-tier process. The eventing runtime, with the other functions, runs in the soak's JVM.
 */
final class SoakStack implements AutoCloseable {

    static final String SECRET = "soak-secret-that-is-at-least-32-bytes-long";
    static final String KEYSPACE = "soak";

    final Path dir;
    final KafkaServer kafka;
    final RedisServer redis;
    final CassandraServer cassandra;
    final EventingRuntime eventing;
    private final ManagedProcess messaging;
    private final ManagedProcess tier;
    private final int messagingPort = Ports.free();
    private final int tierPort = Ports.free();
    private final int tierAdminPort = Ports.free();
    private final Map<String, String> functionSettings;
    private final HttpClient http = HttpClient.newHttpClient();

    private final String classpath;

    private SoakStack(Path dir, String classpath) throws Exception {
        this.dir = dir;
        this.classpath = classpath;
        kafka = new KafkaServer(DataDir.persistent(dir.resolve("kafka")), Ports.free(), Ports.free(), "512m");
        // Not persistent: a restart starts empty unless a snapshot (dump.rdb) is put back first.
        redis = new RedisServer(DataDir.persistent(dir.resolve("redis")), Ports.free(), false);
        // Killed mid-run: acknowledged writes must survive it, as on three replicas (see withGroupCommit).
        cassandra = new CassandraServer(DataDir.persistent(dir.resolve("cassandra")), Ports.free(), Ports.free(), "512m")
                .withGroupCommit();
        kafka.start();
        redis.start();
        cassandra.start();
        CassandraSettings settings = new CassandraSettings(cassandra.host(), cassandra.port(), cassandra.localDatacenter(),
                KEYSPACE, CassandraSettings.LOCAL_REPLICATION);
        try (CqlSession session = CassandraSessions.connect(settings)) {
            CqlMigrations.apply(session, settings);
        }
        functionSettings = Map.of("PARLEY_REDIS_URI", redis.uri(),
                "PARLEY_CASSANDRA_CONTACT_POINTS", cassandra.host() + ":" + cassandra.port(),
                "PARLEY_CASSANDRA_DATACENTER", cassandra.localDatacenter(),
                "PARLEY_CASSANDRA_KEYSPACE", KEYSPACE,
                "PARLEY_DIRECT_REQUIRES_FRIENDSHIP", "false");
        eventing = EventingRuntime.start(new RuntimeSettings(kafka.bootstrapServers(), Path.of("../manifests/overlays/local"),
                Map.of("messaging", URI.create("http://127.0.0.1:" + messagingPort + "/")),
                HostedFunctions.discover(functionSettings), DispatchSettings.defaults(), HpaBehavior.kubernetesDefaults(),
                "127.0.0.1", -1, 0));
        eventing.awaitReady(Duration.ofSeconds(120));
        messaging = new ManagedProcess("messaging", dir.resolve("logs/messaging.log"));
        tier = new ManagedProcess("connection-tier", dir.resolve("logs/tier.log"));
        startMessaging();
        startTier();
    }

    /** @param classpath for the processes it starts: the function's and the tier's */
    static SoakStack start(Path dir, String classpath) throws Exception {
        return new SoakStack(dir, classpath);
    }

    URI socketAddress() {
        return URI.create("ws://127.0.0.1:" + tierPort + "/ws");
    }

    String token(String user) {
        return DevTokens.mint(SECRET, user, null, Duration.ofHours(6));
    }

    void startMessaging() {
        Map<String, String> env = new HashMap<>(functionSettings);
        env.putAll(Map.of("PORT", String.valueOf(messagingPort), "PARLEY_FUNCTION", "messaging",
                "PARLEY_BROKER_INGRESS", eventing.ingressUri().toString(),
                "PARLEY_EVENT_AUDIENCE", "parley.im/functions/messaging",
                "PARLEY_EVENT_ISSUER", eventing.ingressUri().toString(),
                "PARLEY_EVENT_SENDERS", "system:serviceaccount:parley:*-oidc-eventing.knative.dev-trigger"));
        messaging.start(java(List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"),
                FunctionHttpServer.class.getName()), env, dir, () -> ready("http://127.0.0.1:" + messagingPort + "/health/ready"),
                Duration.ofSeconds(90));
    }

    void killMessaging() {
        messaging.kill();
    }

    void startTier() {
        tier.start(java(List.of("-Xmx256m", "-XX:+UseSerialGC"), "im.parley.connection.ConnectionTier"), Map.of(
                "PARLEY_NODE_ID", "soak-node", "PARLEY_HOST", "127.0.0.1", "PARLEY_PORT", String.valueOf(tierPort),
                "PARLEY_ADMIN_PORT", String.valueOf(tierAdminPort), "PARLEY_KAFKA_BOOTSTRAP", kafka.bootstrapServers(),
                "PARLEY_REDIS_URI", redis.uri(), "PARLEY_JWT_SECRET", SECRET,
                // Presence lives 15 s, refreshed every 5 s: after Redis loses it, deliveries find the node again soon.
                "PARLEY_PRESENCE_TTL", "PT15S", "PARLEY_RATE_PER_SECOND", "200", "PARLEY_RATE_BURST", "400"),
                dir, () -> listening(tierPort), Duration.ofSeconds(60));
    }

    void killTier() {
        tier.kill();
    }

    /** Redis's data as of now, kept to be put back later (what a failover to a lagging replica gives). */
    void snapshotRedis() throws IOException {
        redis.command("SAVE");
        Files.copy(redis.dataDir().resolve("dump.rdb"), dir.resolve("redis-snapshot.rdb"), StandardCopyOption.REPLACE_EXISTING);
    }

    /** Redis killed and started again: from the snapshot taken earlier, or empty. */
    void restartRedis(boolean fromSnapshot) throws IOException {
        redis.kill();
        Path dump = redis.dataDir().resolve("dump.rdb");
        if (fromSnapshot) {
            Files.copy(dir.resolve("redis-snapshot.rdb"), dump, StandardCopyOption.REPLACE_EXISTING);
        } else {
            Files.deleteIfExists(dump);
        }
        redis.start();
    }

    static void signal(long pid, String signal) throws Exception {
        new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).inheritIO().start().waitFor();
    }

    private List<String> java(List<String> flags, String main) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(flags);
        command.addAll(List.of("-cp", classpath, main));
        return command;
    }

    private boolean ready(String url) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static boolean listening(int port) {
        try (Socket ignored = new Socket("127.0.0.1", port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void close() {
        for (Runnable stop : new Runnable[] {() -> tier.stop(Duration.ofSeconds(10)), () -> messaging.stop(Duration.ofSeconds(10)),
                eventing::close, cassandra::close, redis::close, kafka::close}) {
            try {
                stop.run();
            } catch (RuntimeException e) {
                System.err.println("soak: stopping: " + e);
            }
        }
    }
}
