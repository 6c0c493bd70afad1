package im.parley.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import im.parley.launcher.WebChat;
import im.parley.stack.CassandraServer;
import im.parley.stack.KafkaServer;
import im.parley.stack.RedisServer;
import im.parley.stack.junit.LocalStack;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The web chat page in a real browser (Debian's Chromium, headless, through playwright-core), served as ./parley up
 * serves it, against the whole system: friends chat with typing and read ticks, an offline friend catches up, and
 * a group of three chats. Screenshots go to target/web-chat.
 */
@LocalStack
class WebChatIT {

    private static final Path WEB = Path.of("../clients/web");

    @Test
    void twoFriendsAndAGroupChatInTheBrowser(KafkaServer kafka, RedisServer redis, CassandraServer cassandra) throws Exception {
        assertThat(Path.of("../clients/js/dist/index.js")).as("the launcher's build makes the client").exists();
        if (!Files.isDirectory(WEB.resolve("node_modules/playwright-core"))) {
            run(List.of("npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"), List.of());
        }
        try (FullStack stack = FullStack.start("webchat", kafka, redis, cassandra);
             WebChat chat = WebChat.start(0, WEB, Path.of("../clients/js/dist"), "ws://127.0.0.1:" + stack.tier.port() + "/ws",
                     FullStack.SECRET)) {
            run(List.of("npm", "test"), List.of("PARLEY_WEB_URL=http://127.0.0.1:" + chat.port() + "/",
                    "PARLEY_SCREENSHOTS=" + Path.of("target/web-chat").toAbsolutePath()));
        }
        assertThat(Path.of("target/web-chat/chat.png")).exists();
        assertThat(Path.of("target/web-chat/group.png")).exists();
    }

    private static void run(List<String> command, List<String> env) throws Exception {
        Path log = Files.createTempFile("web-chat-", ".log");
        ProcessBuilder builder = new ProcessBuilder(command).directory(WEB.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        env.forEach(e -> builder.environment().put(e.substring(0, e.indexOf('=')), e.substring(e.indexOf('=') + 1)));
        Process p = builder.start();
        boolean ended = p.waitFor(300, TimeUnit.SECONDS);
        if (!ended) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        String out = Files.readString(log);
        assertThat(ended).as("%s did not end: %s", command, out).isTrue();
        assertThat(p.exitValue()).as("%s: %s", command, out).isZero();
    }
}
