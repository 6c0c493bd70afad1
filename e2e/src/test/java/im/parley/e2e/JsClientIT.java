package im.parley.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import im.parley.stack.CassandraServer;
import im.parley.stack.KafkaServer;
import im.parley.stack.RedisServer;
import im.parley.stack.junit.LocalStack;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The JavaScript client (clients/js) as an app uses it: built with its own toolchain, its unit tests, then its
 * integration tests in Node against the whole system over real sockets (chat, catch-up, a connection cut mid-send).
 */
@LocalStack
class JsClientIT {

    private static final Path SDK = Path.of("../clients/js");

    @Test
    void theJavaScriptClientBuildsPassesItsTestsAndChatsThroughTheSystem(KafkaServer kafka, RedisServer redis,
                                                                       CassandraServer cassandra) throws Exception {
        if (!Files.isDirectory(SDK.resolve("node_modules/typescript"))) {
            npm(Map.of(), "ci", "--no-audit", "--no-fund", "--loglevel=error");
        }
        npm(Map.of(), "run", "build");
        npm(Map.of(), "test");
        // The reference docs are generated from the sources; stale ones fail here, with what to run.
        Path docs = Files.createTempDirectory("js-docs");
        npm(Map.of(), "run", "docs", "--", "--out", docs.toString());
        assertThat(tree(docs)).as("docs/clients/js is stale: run npm run docs in clients/js")
                .isEqualTo(tree(Path.of("../docs/clients/js")));
        try (FullStack stack = FullStack.start("jsclient", kafka, redis, cassandra)) {
            npm(Map.of("PARLEY_WS_URL", "ws://127.0.0.1:" + stack.tier.port() + "/ws", "PARLEY_SECRET", FullStack.SECRET),
                    "run", "test:integration");
        }
    }

    private static Map<String, String> tree(Path root) throws Exception {
        Map<String, String> files = new java.util.TreeMap<>();
        try (var walk = Files.walk(root)) {
            for (Path f : walk.filter(Files::isRegularFile).toList()) {
                files.put(root.relativize(f).toString(), Files.readString(f));
            }
        }
        return files;
    }

    private static void npm(Map<String, String> env, String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("npm"));
        command.addAll(List.of(args));
        Path log = Files.createTempFile("npm-", ".log");
        ProcessBuilder builder = new ProcessBuilder(command).directory(SDK.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().putAll(env);
        Process p = builder.start();
        boolean ended = p.waitFor(300, TimeUnit.SECONDS);
        if (!ended) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        String out = Files.readString(log);
        assertThat(ended).as("npm %s did not end: %s", String.join(" ", args), out).isTrue();
        assertThat(p.exitValue()).as("npm %s: %s", String.join(" ", args), out).isZero();
    }
}
