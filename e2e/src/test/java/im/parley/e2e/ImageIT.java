package im.parley.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import im.parley.connection.auth.DevTokens;
import im.parley.stack.KafkaServer;
import im.parley.stack.ManagedProcess;
import im.parley.stack.Ports;
import im.parley.stack.RedisServer;
import im.parley.stack.junit.LocalStack;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The connection tier's OCI image, as ./parley images builds it (Jib on a jlinked runtime, no registry), unpacked
 * with umoci and its own entrypoint run in its root filesystem as its user: it must serve real clients against
 * real Kafka and Redis.
 */
@LocalStack
class ImageIT {

    static final Path IMAGE = Path.of("../connection-tier/target/image/connection-tier.tar").toAbsolutePath().normalize();
    static final String REF = "ghcr.io/parley-im/connection-tier:0.1.0";

    @TempDir
    Path dir;

    static void run(Path workDir, String... command) throws Exception {
        Process p = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", command) + ": " + output).isZero();
    }

    @Test
    void theTiersImageRunsItsEntrypointAndServesAClient(KafkaServer kafka, RedisServer redis) throws Exception {
        assertThat(IMAGE).as("the tier's image; ./parley test builds it (mvn -Dparley.image, on local-stack/images/base.sh)")
                .exists();
        Files.createDirectories(dir.resolve("oci"));
        run(dir, "tar", "xf", IMAGE.toString(), "-C", "oci");
        run(dir, "umoci", "unpack", "--image", "oci:" + REF, "bundle");
        JsonNode config = new ObjectMapper().readTree(dir.resolve("bundle/config.json").toFile());
        Path rootfs = dir.resolve("bundle/rootfs");
        assertThat(rootfs.resolve("opt/java/bin/java")).as("the jlinked runtime is in the image").exists();
        Files.createDirectories(rootfs.resolve("proc"));

        List<String> entrypoint = new ArrayList<>();
        config.path("process").path("args").forEach(a -> entrypoint.add(a.asText()));
        assertThat(entrypoint).containsSequence("java", "-cp", "@/app/jib-classpath-file", "im.parley.connection.ConnectionTier");
        String user = config.path("process").path("user").path("uid").asText() + ":"
                + config.path("process").path("user").path("gid").asText();
        assertThat(user).isEqualTo("65532:65532");

        Map<String, String> env = new HashMap<>();
        config.path("process").path("env").forEach(e -> {
            String[] kv = e.asText().split("=", 2);
            env.put(kv[0], kv[1]);
        });
        // The image's PATH first (its java), then the host's (unshare, mount and chroot run before the switch).
        env.put("PATH", env.get("PATH") + ":" + System.getenv("PATH"));
        // The broker topics, as Strimzi's KafkaTopics make them on a cluster (the tier announces each connection).
        kafka.createTopic("knative-broker-image-default", 2);
        kafka.createTopic("knative-broker-image-messages", 2);
        int port = Ports.free();
        int admin = Ports.free();
        env.putAll(Map.of("PARLEY_KAFKA_BOOTSTRAP", kafka.bootstrapServers(), "PARLEY_REDIS_URI", redis.uri(),
                "PARLEY_JWT_SECRET", FullStack.SECRET, "PARLEY_HOST", "127.0.0.1", "PARLEY_PORT", String.valueOf(port),
                "PARLEY_ADMIN_PORT", String.valueOf(admin), "PARLEY_NODE_ID", "image-node",
                "PARLEY_BROKER_NAMESPACE", "image"));
        // A container runtime's part: a mount namespace with /proc, the image's root, its user.
        List<String> command = List.of("unshare", "--mount", "--fork", "sh", "-c",
                "mount -t proc proc \"$0/proc\" && exec chroot --userspec=" + user + " \"$0\" \"$@\"",
                rootfs.toString());
        List<String> full = new ArrayList<>(command);
        full.addAll(entrypoint);

        HttpClient http = HttpClient.newHttpClient();
        ManagedProcess tier = new ManagedProcess("tier-from-image", dir.resolve("tier.log"));
        try {
            tier.start(full, env, dir, () -> {
                try {
                    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + admin + "/health/ready")).build(),
                            HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
                } catch (Exception notYet) {
                    return false;
                }
            }, Duration.ofSeconds(90));
            String metrics;
            // Open means welcomed: the token checked, presence written to Redis, connection.opened taken by Kafka.
            try (Socket socket = Socket.open(port, DevTokens.mint(FullStack.SECRET, "ivy", null, Duration.ofMinutes(5)), "phone")) {
                metrics = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + admin + "/metrics")).build(),
                        HttpResponse.BodyHandlers.ofString()).body();
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + "; the tier's log:\n" + Files.readString(dir.resolve("tier.log")), e);
            }
            assertThat(metrics).contains("parley_connections 1.0").contains("kafka_producer_");
        } finally {
            // The image's process first: its new user clears unshare's --kill-child, so it would outlive its parent.
            ProcessHandle.of(tier.pid()).ifPresent(h -> h.descendants().forEach(ProcessHandle::destroy));
            tier.stop(Duration.ofSeconds(10));
        }
    }
}
