package im.parley.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import im.parley.stack.CassandraServer;
import im.parley.stack.KafkaServer;
import im.parley.stack.RedisServer;
import im.parley.stack.junit.LocalStack;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Typing indicators through the whole system, over real sockets: the tier takes the {@code typing} frame from the
 * catalog alone, and the typing function (made by ./parley new-function) tells the other member's devices.
 */
@LocalStack
class TypingFunctionIT {

    static FullStack stack;

    @BeforeAll
    static void start(KafkaServer kafka, RedisServer redis, CassandraServer cassandra) throws Exception {
        stack = FullStack.start("typing", kafka, redis, cassandra);
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    static String typing(String conversation, String state) {
        return "{\"v\":1,\"t\":\"typing\",\"d\":{\"conversationId\":\"" + conversation + "\",\"state\":\"" + state + "\"}}";
    }

    @Test
    void aFriendSeesTypingStartAndStopAndTheTypistsOtherDeviceDoesNot() throws Exception {
        try (Socket alice = stack.open("alice", "phone"); Socket aliceLaptop = stack.open("alice", "laptop");
             Socket bob = stack.open("bob", "phone")) {
            SocialIT.befriend(alice, "alice", bob, "bob");

            alice.send(typing("d:alice:bob", "started"));
            // The typing Trigger keeps a replica (keda/typing.yaml): a cold start would outlast the expiry.
            JsonNode started = bob.await("typing");
            assertThat(started.path("d").path("userId").asText()).isEqualTo("alice");
            assertThat(started.path("d").path("conversationId").asText()).isEqualTo("d:alice:bob");
            assertThat(started.path("d").path("state").asText()).isEqualTo("started");
            assertThat(started.path("d").path("expiresInMs").asLong()).isPositive();

            alice.send(typing("d:alice:bob", "stopped"));
            assertThat(bob.await("typing", "state", "stopped").path("d").path("userId").asText()).isEqualTo("alice");
            assertThat(aliceLaptop.drain(Duration.ofMillis(500), "typing")).as("the typist's own devices").isEmpty();
        }
    }

    @Test
    void aStrangersTypingIsNeverShownAndABadFrameIsRefused() throws Exception {
        try (Socket carol = stack.open("carol", "phone"); Socket dan = stack.open("dan", "phone")) {
            carol.send(typing("d:carol:dan", "started"));
            dan.send(typing("d:carol:dan", "started"));
            assertThat(dan.drain(Duration.ofSeconds(3), "typing")).as("not friends").isEmpty();
            assertThat(carol.drain(Duration.ofMillis(100), "typing")).as("not friends").isEmpty();

            carol.send(typing("d:carol:dan", "composing"));
            JsonNode error = carol.await("error");
            assertThat(error.path("d").path("code").asText()).isEqualTo("invalid");
            assertThat(error.path("d").path("reason").asText()).contains("state");
        }
    }
}
