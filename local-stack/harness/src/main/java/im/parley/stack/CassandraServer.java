package im.parley.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Cassandra 5.0 in its own JVM (Java 17), from the jars of local-stack/cassandra-runtime. */
public final class CassandraServer extends ProcessServer {

    /** From Cassandra's jvm17-server.options: what 5.0 needs to run on Java 17. */
    private static final List<String> JVM17_FLAGS = List.of(
            "-Djdk.attach.allowAttachSelf=true",
            "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED",
            "--add-exports=java.management.rmi/com.sun.jmx.remote.internal.rmi=ALL-UNNAMED",
            "--add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED",
            "--add-exports=java.rmi/sun.rmi.server=ALL-UNNAMED",
            "--add-exports=java.sql/java.sql=ALL-UNNAMED",
            "--add-exports=java.base/java.lang.ref=ALL-UNNAMED",
            "--add-exports=jdk.unsupported/sun.misc=ALL-UNNAMED",
            "--add-opens=java.base/java.lang.module=ALL-UNNAMED",
            "--add-opens=java.base/jdk.internal.loader=ALL-UNNAMED",
            "--add-opens=java.base/jdk.internal.ref=ALL-UNNAMED",
            "--add-opens=java.base/jdk.internal.reflect=ALL-UNNAMED",
            "--add-opens=java.base/jdk.internal.math=ALL-UNNAMED",
            "--add-opens=java.base/jdk.internal.module=ALL-UNNAMED",
            "--add-opens=java.base/jdk.internal.util.jar=ALL-UNNAMED",
            "--add-opens=jdk.management/com.sun.management.internal=ALL-UNNAMED",
            "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
            "--add-opens=java.base/java.io=ALL-UNNAMED",
            "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
            "--add-opens=java.base/java.lang=ALL-UNNAMED",
            "--add-opens=java.base/java.util=ALL-UNNAMED",
            "-Dio.netty.tryReflectionSetAccessible=true");

    /**
     * Cassandra's shared request executor keeps one worker spinning between requests, parked 10 µs at a time; under
     * a light steady load that is about 20,000 wake-ups a second and a third of a core on this machine. With a
     * coarser timer slack each park lasts about this long instead (decision 0049).
     */
    static final long TIMER_SLACK_NANOS = 250_000;

    /** prctl(2)'s syscall number, where known; PR_SET_TIMERSLACK is 29. */
    private static final Map<String, Integer> PRCTL = Map.of("amd64", 157, "x86_64", 157, "aarch64", 167);

    private static final Path PERL = Path.of("/usr/bin/perl");

    private final int nativePort;
    private final int storagePort;
    private final String heap;
    private volatile boolean groupCommit;
    private volatile boolean secured;
    private Certificates certificates;

    public CassandraServer(DataDir dir, int nativePort, int storagePort, String heap) {
        super(dir, "cassandra.log", Duration.ofSeconds(30));
        this.nativePort = nativePort;
        this.storagePort = storagePort;
        this.heap = heap;
    }

    /**
     * Acknowledges a write only once its commit log is on disk (group commit, a 10 ms window), from the next start.
     * By default the commit log is synced every 10 s, so a killed node loses up to 10 s of acknowledged writes: a
     * single node then stands for a whole replica set lost at once, which the fault soak must not confuse with a
     * bug. Production runs three replicas at LOCAL_QUORUM instead.
     */
    public CassandraServer withGroupCommit() {
        this.groupCommit = true;
        return this;
    }

    /**
     * Requires a login (PasswordAuthenticator, roles and grants; the superuser is cassandra/cassandra) and TLS from
     * clients, as production Cassandra does, from the next start.
     */
    public CassandraServer withPasswordsAndTls() {
        this.secured = true;
        return this;
    }

    /** The certificate a secured server presents, which clients trust as their CA. */
    public Certificates certificates() {
        return certificates;
    }

    public static CassandraServer ephemeral() {
        return new CassandraServer(DataDir.temporary("cassandra"), Ports.free(), Ports.free(), "512m");
    }

    @Override
    public String name() {
        return "Cassandra";
    }

    public String host() {
        return "127.0.0.1";
    }

    public int port() {
        return nativePort;
    }

    /** The driver's local datacenter under SimpleSnitch. */
    public String localDatacenter() {
        return "datacenter1";
    }

    @Override
    public void start() {
        Ports.requireFree(name(), nativePort, storagePort);
        if (secured && certificates == null) {
            certificates = Certificates.selfSigned(dataDir().resolve("tls"));
        }
        Path yaml = writeConfig();
        List<String> command = new ArrayList<>(withTimerSlack(TIMER_SLACK_NANOS));
        command.addAll(List.of(JavaRuntime.cassandraJavaBinary(), "-Xms" + heap, "-Xmx" + heap,
                "-XX:+UseG1GC", "-Xss512k", "-Djava.awt.headless=true"));
        command.addAll(JVM17_FLAGS);
        command.addAll(List.of(
                "-Dcassandra.config=file://" + yaml,
                "-Dcassandra.storagedir=" + dataDir(),
                "-Dcassandra-foreground=yes",
                "-Dcassandra.skip_wait_for_gossip_to_settle=0",
                "-Dcassandra.ring_delay_ms=0",
                "-Dcassandra.superuser_setup_delay_ms=0",
                // A throwaway server skips flushing the system tables on each schema change: tests migrate a
                // keyspace per class, and that took 3.1-3.8 s of it instead of 1.6-2.0 s. The commit log still has them.
                "-Dcassandra.unsafesystem=" + throwaway(),
                "-Dlogback.configurationFile=" + dataDir().resolve("logback.xml"),
                "-cp", JavaRuntime.recordedClasspath("cassandra"),
                "org.apache.cassandra.service.CassandraDaemon"));
        // The native transport opens last in start-up, so a CQL port that accepts means Cassandra serves queries.
        process.start(command, Map.of(), dataDir(), () -> Ports.accepting(nativePort), Duration.ofSeconds(180));
    }

    /**
     * A prefix that sets the timer slack and execs the command: perl is part of every Debian system (perl-base), and
     * the slack is inherited by every thread the JVM starts. Without perl or a known syscall number, no prefix.
     */
    static List<String> withTimerSlack(long nanos) {
        Integer prctl = PRCTL.get(System.getProperty("os.arch"));
        if (prctl == null || !Files.isExecutable(PERL)) {
            return List.of();
        }
        return List.of(PERL.toString(), "-e",
                "syscall(" + prctl + ", 29, " + nanos + ", 0, 0, 0) == 0 or die \"prctl: $!\"; exec @ARGV or die \"exec: $!\"",
                "--");
    }

    private Path writeConfig() {
        Path d = dataDir();
        String yaml = String.join("\n",
                "cluster_name: parley-local",
                "num_tokens: 1",
                "initial_token: 0",
                "partitioner: org.apache.cassandra.dht.Murmur3Partitioner",
                "endpoint_snitch: SimpleSnitch",
                "data_file_directories: [" + d.resolve("data") + "]",
                "commitlog_directory: " + d.resolve("commitlog"),
                "hints_directory: " + d.resolve("hints"),
                "saved_caches_directory: " + d.resolve("saved_caches"),
                "cdc_raw_directory: " + d.resolve("cdc_raw"),
                groupCommit ? "commitlog_sync: group" : "commitlog_sync: periodic",
                groupCommit ? "commitlog_sync_group_window: 10ms" : "commitlog_sync_period: 10000ms",
                "seed_provider:",
                "  - class_name: org.apache.cassandra.locator.SimpleSeedProvider",
                "    parameters:",
                "      - seeds: \"127.0.0.1:" + storagePort + "\"",
                "listen_address: 127.0.0.1",
                "rpc_address: 127.0.0.1",
                "storage_port: " + storagePort,
                "native_transport_port: " + nativePort,
                "start_native_transport: true",
                secured ? "authenticator: PasswordAuthenticator" : "authenticator: AllowAllAuthenticator",
                secured ? "authorizer: CassandraAuthorizer" : "authorizer: AllowAllAuthorizer",
                secured ? "role_manager: CassandraRoleManager" : "",
                secured ? clientEncryption() : "",
                "key_cache_size: 8MiB",
                "file_cache_size: 32MiB",
                "memtable_heap_space: 64MiB",
                "memtable_offheap_space: 64MiB",
                "concurrent_reads: 4",
                "concurrent_writes: 4",
                "concurrent_counter_writes: 4",
                "concurrent_materialized_view_writes: 2",
                "");
        String logback = String.join("\n",
                "<configuration>",
                "  <appender name=\"STDOUT\" class=\"ch.qos.logback.core.ConsoleAppender\">",
                "    <encoder><pattern>%d{HH:mm:ss.SSS} %-5level [%thread] %logger{20} - %msg%n</pattern></encoder>",
                "  </appender>",
                "  <logger name=\"org.apache.cassandra\" level=\"INFO\"/>",
                "  <root level=\"WARN\"><appender-ref ref=\"STDOUT\"/></root>",
                "</configuration>",
                "");
        try {
            Files.writeString(d.resolve("logback.xml"), logback);
            return Files.writeString(d.resolve("cassandra.yaml"), yaml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** As production sets it: PEM files (an unencrypted key, then the certificate) read by Cassandra's PEM factory. */
    private String clientEncryption() {
        Path pem = dataDir().resolve("tls/keystore.pem");
        try {
            Files.writeString(pem, Files.readString(certificates.keyPem()) + Files.readString(certificates.certPem()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return String.join("\n",
                "client_encryption_options:",
                "  enabled: true",
                "  optional: false",
                "  ssl_context_factory:",
                "    class_name: org.apache.cassandra.security.PEMBasedSslContextFactory",
                "  keystore: " + pem,
                "  require_client_auth: false");
    }

    @Override
    public String toString() {
        return "Cassandra at " + host() + ":" + nativePort;
    }
}
