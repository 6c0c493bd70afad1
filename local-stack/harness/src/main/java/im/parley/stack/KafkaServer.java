package im.parley.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * A single-node KRaft Kafka broker in its own JVM, from the jars of local-stack/kafka-runtime. A secured one also
 * listens as production brokers do, with SASL_SSL (SCRAM-SHA-512, a self-signed certificate) and ACLs enforced;
 * its plaintext listener stays open to the test itself, as a super user, to set users and ACLs up.
 */
public final class KafkaServer extends ProcessServer {

    private final int port;
    private final int controllerPort;
    private final String heap;
    /** The SASL_SSL listener's port, or 0 for none. */
    private final int securePort;
    private Certificates certificates;

    public KafkaServer(DataDir dir, int port, int controllerPort, String heap) {
        this(dir, port, controllerPort, heap, 0);
    }

    private KafkaServer(DataDir dir, int port, int controllerPort, String heap, int securePort) {
        super(dir, "kafka.log", Duration.ofSeconds(30));
        this.port = port;
        this.controllerPort = controllerPort;
        this.heap = heap;
        this.securePort = securePort;
    }

    /** A throwaway broker on free ports, for tests. */
    public static KafkaServer ephemeral() {
        return new KafkaServer(DataDir.temporary("kafka"), Ports.free(), Ports.free(), "384m");
    }

    /** A throwaway broker that also takes SASL_SSL clients, with ACLs, for tests of credentials and ACLs. */
    public static KafkaServer secured() {
        return new KafkaServer(DataDir.temporary("kafka"), Ports.free(), Ports.free(), "384m", Ports.free());
    }

    /** The SASL_SSL listener (SCRAM-SHA-512) of a secured broker. */
    public String secureBootstrapServers() {
        if (securePort == 0) {
            throw new IllegalStateException("not a secured broker");
        }
        return "127.0.0.1:" + securePort;
    }

    /** The secured listener's certificate, which clients trust as their CA. */
    public Certificates certificates() {
        return certificates;
    }

    /** Creates or replaces a SCRAM-SHA-512 user. */
    public void addScramUser(String user, String password) {
        try (Admin admin = admin()) {
            admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion(user,
                    new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 8192), password))).all().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot add user " + user, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String name() {
        return "Kafka";
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    @Override
    public void start() {
        Ports.requireFree(name(), port, controllerPort);
        if (securePort != 0) {
            Ports.requireFree(name(), securePort);
            certificates = Certificates.selfSigned(dataDir().resolve("tls"));
        }
        Path config = writeConfig();
        String classpath = JavaRuntime.recordedClasspath("kafka");
        if (!Files.exists(dataDir().resolve("logs/meta.properties"))) {
            List<String> format = new ArrayList<>(JavaRuntime.kafkaJava());
            format.addAll(List.of("-Xmx256m", "-XX:TieredStopAtLevel=1",
                    "-Dlog4j2.configurationFile=" + dataDir().resolve("log4j2.properties"),
                    "-cp", classpath, "kafka.tools.StorageTool", "format", "-t", clusterId(), "-c", config.toString()));
            ManagedProcess.run("Kafka storage format", format, dataDir(), process.logFile(), Duration.ofSeconds(90));
        }
        List<String> command = new ArrayList<>(JavaRuntime.kafkaJava());
        command.addAll(List.of("-Xms" + heap, "-Xmx" + heap, "-XX:+UseG1GC", "-Djava.awt.headless=true",
                "-Dlog4j2.configurationFile=" + dataDir().resolve("log4j2.properties"),
                "-cp", classpath, "kafka.Kafka", config.toString()));
        process.start(command, Map.of(), dataDir(), this::answers, Duration.ofSeconds(90));
    }

    private boolean answers() {
        if (!Ports.accepting(port)) {
            return false;
        }
        try (Admin admin = admin()) {
            return !admin.describeCluster().nodes().get(2, TimeUnit.SECONDS).isEmpty();
        } catch (ExecutionException | TimeoutException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    public Admin admin() {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000);
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10000);
        return Admin.create(props);
    }

    /** Creates a topic unless it exists. Auto-creation is off, as with Strimzi-managed topics. */
    public void createTopic(String topic, int partitions) {
        try (Admin admin = admin()) {
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("cannot create topic " + topic, e.getCause());
            }
        } catch (TimeoutException e) {
            throw new IllegalStateException("creating topic " + topic + " timed out", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private Path writeConfig() {
        Path logs = dataDir().resolve("logs");
        String secure = securePort == 0 ? "" : ",SECURE://127.0.0.1:" + securePort;
        String properties = String.join("\n",
                "process.roles=broker,controller",
                "node.id=1",
                "controller.quorum.voters=1@127.0.0.1:" + controllerPort,
                "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort + secure,
                "advertised.listeners=PLAINTEXT://127.0.0.1:" + port + secure,
                "controller.listener.names=CONTROLLER",
                "inter.broker.listener.name=PLAINTEXT",
                "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT"
                        + (securePort == 0 ? "" : ",SECURE:SASL_SSL"),
                securePort == 0 ? "" : secureListener(),
                "log.dirs=" + logs,
                "num.partitions=1",
                "default.replication.factor=1",
                "min.insync.replicas=1",
                "offsets.topic.replication.factor=1",
                // Fewer offsets partitions: the first consumer group then starts in well under a second.
                "offsets.topic.num.partitions=10",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "group.initial.rebalance.delay.ms=0",
                "auto.create.topics.enable=false",
                "log.retention.hours=168",
                "");
        String log4j = String.join("\n",
                "appender.out.type=Console",
                "appender.out.name=out",
                "appender.out.layout.type=PatternLayout",
                "appender.out.layout.pattern=[%d] %p %m (%c)%n",
                "rootLogger.level=INFO",
                "rootLogger.appenderRef.out.ref=out",
                "logger.clients.name=org.apache.kafka",
                "logger.clients.level=WARN",
                "logger.request.name=kafka.request.logger",
                "logger.request.level=WARN",
                "logger.state.name=state.change.logger",
                "logger.state.level=WARN",
                "");
        try {
            Files.createDirectories(logs);
            Files.writeString(dataDir().resolve("log4j2.properties"), log4j);
            return Files.writeString(dataDir().resolve("server.properties"), properties);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** SCRAM-SHA-512 over TLS, with ACLs; the plaintext and controller listeners' anonymous user is a super user. */
    private String secureListener() {
        return String.join("\n",
                "sasl.enabled.mechanisms=SCRAM-SHA-512",
                "listener.name.secure.scram-sha-512.sasl.jaas.config="
                        + "org.apache.kafka.common.security.scram.ScramLoginModule required;",
                "listener.name.secure.ssl.keystore.type=PKCS12",
                "listener.name.secure.ssl.keystore.location=" + certificates.keyStore(),
                "listener.name.secure.ssl.keystore.password=" + certificates.password(),
                "listener.name.secure.ssl.key.password=" + certificates.password(),
                "authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer",
                "super.users=User:ANONYMOUS",
                "allow.everyone.if.no.acl.found=false");
    }

    /** A random KRaft cluster id; never one starting with '-', which the storage tool would take for an option. */
    static String clusterId() {
        SecureRandom random = new SecureRandom();
        byte[] uuid = new byte[16];
        String id;
        do {
            random.nextBytes(uuid);
            id = Base64.getUrlEncoder().withoutPadding().encodeToString(uuid);
        } while (id.startsWith("-"));
        return id;
    }

    @Override
    public String toString() {
        return "Kafka at " + bootstrapServers();
    }
}
