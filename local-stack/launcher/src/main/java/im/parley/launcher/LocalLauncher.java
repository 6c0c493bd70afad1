package im.parley.launcher;

import com.datastax.oss.driver.api.core.CqlSession;
import im.parley.cassandra.CassandraSessions;
import im.parley.cassandra.CassandraSettings;
import im.parley.cassandra.CqlMigrations;
import im.parley.eventing.catalog.EventCatalog;
import im.parley.eventing.knative.KnativeNames;
import im.parley.eventing.tracing.Tracing;
import im.parley.stack.CassandraServer;
import im.parley.stack.DataDir;
import im.parley.stack.KafkaServer;
import im.parley.stack.RedisServer;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;

/**
 * ./parley up: starts every part of Parley on this machine, prints where to reach them, runs until
 * Ctrl-C (or SIGTERM), then stops everything it started. Data lives in the data dir and survives restarts.
 */
public final class LocalLauncher {

    /** The namespace the manifests deploy to; local topic names follow the same Knative templates. */
    static final String NAMESPACE = "parley";
    /** The brokers' topics, from the catalog: the message path's and the rest's. */
    static final List<String> BROKER_TOPICS = EventCatalog.load().brokers().stream()
            .map(b -> KnativeNames.brokerTopic(NAMESPACE, b.name())).toList();
    static final String READY_LINE = "Parley is up.";
    /** Partitions of each broker topic unless {@code --partitions} says otherwise. */
    public static final int DEFAULT_PARTITIONS = 12;

    private final LauncherOptions options;
    private final PrintStream out;
    private final List<Part> servers;
    private final List<Part> services;
    private final List<Part> started = new ArrayList<>();
    private final RunDirectory run;

    LocalLauncher(LauncherOptions options, PrintStream out) {
        this.options = options;
        this.out = out;
        this.run = RunDirectory.claim(options.dataDir());
        KafkaServer kafka = kafkaServer();
        RedisServer redis = redisServer();
        CassandraServer cassandra = cassandraServer();
        this.servers = List.of(kafka(kafka), redis(redis), cassandra(cassandra));
        PushSandboxPart push = new PushSandboxPart(options.dataDir().resolve("push-sandbox"));
        String secret = DevSecret.load(options.dataDir());
        this.services = List.of(push,
                new EventingPart(options, kafka.bootstrapServers(), () -> {
                    Map<String, Object> env = new HashMap<>(push.environment());
                    env.putAll(Map.of("PARLEY_REDIS_URI", redis.uri(),
                            "PARLEY_CASSANDRA_CONTACT_POINTS", cassandra.host() + ":" + cassandra.port(),
                            "PARLEY_CASSANDRA_DATACENTER", cassandra.localDatacenter(),
                            "PARLEY_CASSANDRA_KEYSPACE", "parley"));
                    return env;
                }),
                new ConnectionTierPart(options, kafka.bootstrapServers(), redis.uri(), secret),
                new WebChatPart(options, secret));
    }

    public static void main(String[] args) {
        // One process hosts the tier and every function: one SDK, before any of them asks for a tracer.
        Tracing.install("parley-local");
        LauncherOptions options;
        try {
            options = LauncherOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage() + " (./parley up --help lists the options)");
            System.exit(2);
            return;
        }
        LocalLauncher launcher;
        try {
            launcher = new LocalLauncher(options, System.out);
        } catch (IllegalStateException e) {
            System.err.println(e.getMessage());
            System.exit(1);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runnable stopAll = () -> {
            launcher.stopAll();
            stopped.countDown();
        };
        // Ctrl-C and SIGTERM stop the parts in order (the connection tier drains while Kafka and Redis still
        // run) before the JVM's shutdown hooks, which stop any server still running all at once.
        for (String signal : new String[] {"INT", "TERM"}) {
            sun.misc.Signal.handle(new sun.misc.Signal(signal), s -> new Thread(() -> {
                stopAll.run();
                System.exit(0);
            }, "parley-stop").start());
        }
        Runtime.getRuntime().addShutdownHook(new Thread(stopAll, "parley-shutdown"));
        try {
            launcher.startAll();
        } catch (RuntimeException e) {
            System.err.println();
            System.err.println("Parley could not start: " + e.getMessage());
            System.exit(1);
        }
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    void startAll() {
        out.println("Parley local stack, data in " + options.dataDir());
        run.reapLeftovers(line -> out.println("  " + line));
        int total = servers.size() + services.size();
        // Servers start side by side: on two cores that roughly halves the wait for Cassandra and Kafka together.
        List<CompletableFuture<Void>> starting = new ArrayList<>();
        for (int i = 0; i < servers.size(); i++) {
            Part part = servers.get(i);
            String label = label(i, total, part);
            out.println(label + " starting");
            starting.add(CompletableFuture.runAsync(() -> start(part, label)));
        }
        try {
            CompletableFuture.allOf(starting.toArray(CompletableFuture[]::new)).join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
        // Services need the servers, so they follow them.
        for (int i = 0; i < services.size(); i++) {
            Part part = services.get(i);
            String label = label(servers.size() + i, total, part);
            out.println(label + " starting");
            start(part, label);
        }
        out.println();
        out.println(READY_LINE);
        servers.forEach(p -> p.endpoints().forEach(line -> out.println("  " + line)));
        services.forEach(p -> p.endpoints().forEach(line -> out.println("  " + line)));
        out.println("  Data and logs       " + options.dataDir());
        out.println("Press Ctrl-C to stop.");
        out.flush();
    }

    private static String label(int index, int total, Part part) {
        return String.format(Locale.ROOT, "[%d/%d] %-16s", index + 1, total, part.name());
    }

    private void start(Part part, String label) {
        long t0 = System.nanoTime();
        part.start();
        synchronized (started) {
            started.add(part);
        }
        if (part.pid() != ProcessHandle.current().pid()) {
            run.recordPid(part.name(), part.pid());
        }
        out.printf(Locale.ROOT, "%s ready in %.1f s (pid %d)%n", label, (System.nanoTime() - t0) / 1e9, part.pid());
    }

    /** Stops what was started, last started first. */
    synchronized void stopAll() {
        List<Part> toStop;
        synchronized (started) {
            toStop = new ArrayList<>(started);
            started.clear();
        }
        if (!toStop.isEmpty()) {
            out.println();
            out.println("Stopping Parley");
        }
        for (int i = toStop.size() - 1; i >= 0; i--) {
            Part part = toStop.get(i);
            long t0 = System.nanoTime();
            part.stop();
            run.forgetPid(part.name());
            out.printf(Locale.ROOT, "  %-16s stopped in %.1f s%n", part.name(), (System.nanoTime() - t0) / 1e9);
        }
        // Parts that failed to start were already stopped by the harness; nothing else is left.
        run.close();
        out.flush();
    }

    private KafkaServer kafkaServer() {
        return kafkaServer(DataDir.persistent(options.dataDir().resolve("kafka")), options.port(19092), options.port(19093));
    }

    /** Kafka as {@code ./parley up} runs it; also what the store benchmark starts. */
    public static KafkaServer kafkaServer(DataDir dir, int port, int controllerPort) {
        return new KafkaServer(dir, port, controllerPort, "512m");
    }

    private RedisServer redisServer() {
        return redisServer(DataDir.persistent(options.dataDir().resolve("redis")), options.port(16379));
    }

    /** Redis as {@code ./parley up} runs it, persistent; also what the store benchmark starts. */
    public static RedisServer redisServer(DataDir dir, int port) {
        return new RedisServer(dir, port, true);
    }

    private Part kafka(KafkaServer kafka) {
        return new ServerPart(kafka, s -> BROKER_TOPICS.forEach(topic -> kafka.createTopic(topic, options.partitions())),
                List.of("Kafka bootstrap     " + kafka.bootstrapServers(),
                        "Broker topics       " + String.join(", ", BROKER_TOPICS) + " (" + options.partitions()
                                + " partitions each)"));
    }

    private Part redis(RedisServer redis) {
        return new ServerPart(redis, s -> { }, List.of("Redis               " + redis.uri()));
    }

    private CassandraServer cassandraServer() {
        return cassandraServer(DataDir.persistent(options.dataDir().resolve("cassandra")), options.port(19042),
                options.port(17000));
    }

    /** Cassandra as {@code ./parley up} runs it; also what the store benchmark starts. */
    public static CassandraServer cassandraServer(DataDir dir, int nativePort, int storagePort) {
        return new CassandraServer(dir, nativePort, storagePort, "512m");
    }

    private Part cassandra(CassandraServer cassandra) {
        CassandraSettings settings = CassandraSettings.local(cassandra.host(), cassandra.port(), cassandra.localDatacenter());
        return new ServerPart(cassandra, s -> {
            try (CqlSession session = CassandraSessions.connect(settings)) {
                CqlMigrations.apply(session, settings);
            }
        }, List.of("Cassandra (CQL)     " + cassandra.host() + ":" + cassandra.port() + ", keyspace " + settings.keyspace()));
    }
}
