package im.parley.connection;

import static org.assertj.core.api.Assertions.assertThat;

import im.parley.connection.auth.DevTokens;
import im.parley.eventing.Actor;
import im.parley.eventing.EventTypes;
import im.parley.eventing.Events;
import im.parley.stack.KafkaServer;
import im.parley.stack.RedisServer;
import im.parley.stack.junit.LocalStack;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The npm ws client, which Parley did not write, holds a full conversation with the tier. */
@LocalStack
class NodeWsClientIT {

    private static final Path CLIENT = Path.of("src/test/node");

    @Test
    void theNpmWsClientAuthenticatesSendsAndGetsAnswers(KafkaServer kafka, RedisServer redis) throws Exception {
        npmInstall();
        try (ConnectionTier tier = TestSettings.node("node-ws", kafka, redis).start();
             BrokerTopic broker = new BrokerTopic(kafka.bootstrapServers())) {
            String url = "ws://127.0.0.1:" + tier.port() + "/ws?device=laptop&token="
                    + DevTokens.mint(TestSettings.SECRET, "nina", null, Duration.ofMinutes(5));
            Process node = new ProcessBuilder("node", "client.mjs", url).directory(CLIENT.toFile())
                    .redirectErrorStream(true).start();
            assertThat(node.waitFor(30, TimeUnit.SECONDS)).as("node client finished").isTrue();
            List<String> lines = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();

            assertThat(node.exitValue()).as("node output: %s", lines).isZero();
            assertThat(lines).anyMatch(l -> l.contains("\"t\":\"welcome\"") && l.contains("\"userId\":\"nina\""));
            assertThat(lines).anyMatch(l -> l.contains("\"t\":\"pong\"") && l.contains("node-ping"));
            assertThat(lines).anyMatch(l -> l.contains("\"t\":\"closed\"") && l.contains("\"code\":1000"));

            var sent = broker.await(r -> r.event().getType().equals(EventTypes.MESSAGE_SENT.type())
                    && Events.data(EventTypes.MESSAGE_SENT, r.event()).clientMsgId().equals("from-node"), Duration.ofSeconds(15));
            assertThat(sent.key()).isEqualTo("d:nina:omar");
            assertThat(Actor.of(sent.event())).contains(new Actor("nina", "laptop", "node-ws"));
        }
    }

    private static void npmInstall() throws Exception {
        if (Files.isDirectory(CLIENT.resolve("node_modules/ws"))) {
            return;
        }
        Process npm = new ProcessBuilder("npm", "install", "--no-audit", "--no-fund", "--loglevel=error")
                .directory(CLIENT.toFile()).redirectErrorStream(true).start();
        String output = new String(npm.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(npm.waitFor(180, TimeUnit.SECONDS)).as("npm install finished").isTrue();
        assertThat(npm.exitValue()).as("npm install: %s", output).isZero();
    }
}
