package im.parley.connection.server;

import static org.assertj.core.api.Assertions.assertThat;

import im.parley.connection.auth.DevTokens;
import im.parley.eventing.EventTypes;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.buffer.Unpooled;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each of the tier's handlers on an EmbeddedChannel, over an in-memory broker and presence. */
class HandlersTest {

    static String send(String clientMsgId) {
        return "{\"v\":1,\"t\":\"send\",\"id\":\"r-" + clientMsgId + "\",\"d\":{\"conversationId\":\"d:alice:bob\","
                + "\"clientMsgId\":\"" + clientMsgId + "\",\"contentType\":\"text\",\"content\":\"hi\"}}";
    }

    @Test
    void authenticationRegistersTheDeviceWelcomesItOnceInPresenceAndLeavesThePipeline() {
        Pipelines tier = new Pipelines(50, 100);
        EmbeddedChannel alice = tier.connect("alice", Duration.ofMinutes(5));
        assertThat(Pipelines.written(alice)).singleElement().asString().contains("\"t\":\"welcome\"");
        assertThat(tier.presence.live("alice")).containsEntry("phone", "n1");
        assertThat(tier.sessions.find("alice", "phone")).isSameAs(alice);
        await(() -> tier.sink.events().size() == 1);
        assertThat(tier.sink.events()).extracting(e -> e.getType()).containsExactly(EventTypes.CONNECTION_OPENED.type());
        assertThat(alice.pipeline().get(Authentication.class)).as("its work done").isNull();

        alice.close();
        alice.runPendingTasks();
        assertThat(tier.presence.live("alice")).isEmpty();
        assertThat(tier.sessions.find("alice", "phone")).isNull();
        await(() -> tier.sink.events().size() == 2);
        assertThat(tier.sink.events()).extracting(e -> e.getType())
                .containsExactly(EventTypes.CONNECTION_OPENED.type(), EventTypes.CONNECTION_CLOSED.type());
    }

    @Test
    void aPresenceWriteThatFailsIsTriedAgainAndADeviceThatCannotBeMadeReachableIsNeverWelcomed() {
        Pipelines tier = new Pipelines(50, 100);
        tier.presence.failOnline(2);
        EmbeddedChannel alice = tier.connect("alice", Duration.ofMinutes(5));
        assertThat(Pipelines.written(alice)).as("no welcome before presence").isEmpty();
        passTime(alice);
        assertThat(Pipelines.written(alice)).singleElement().asString().contains("\"t\":\"welcome\"");
        assertThat(tier.presence.live("alice")).containsEntry("phone", "n1");

        tier.presence.failOnline(3);
        EmbeddedChannel bob = tier.connect("bob", Duration.ofMinutes(5));
        passTime(bob);
        List<String> written = Pipelines.written(bob);
        assertThat(written).noneMatch(f -> f.contains("welcome")).anyMatch(f -> f.contains("CloseWebSocketFrame"));
        assertThat(tier.presence.live("bob")).isEmpty();
    }

    /** A few seconds on the channel's clock, running what falls due. */
    static void passTime(EmbeddedChannel channel) {
        for (int i = 0; i < 5; i++) {
            channel.advanceTimeBy(1, TimeUnit.SECONDS);
            channel.runPendingTasks();
            channel.runScheduledPendingTasks();
        }
    }

    @Test
    void whenDeliveriesWereLostEveryClientOnTheNodeIsToldToCatchUp() {
        Pipelines tier = new Pipelines(50, 100);
        EmbeddedChannel alice = tier.connect("alice", Duration.ofMinutes(5));
        EmbeddedChannel bob = tier.connect("bob", Duration.ofMinutes(5));
        Pipelines.written(alice);
        Pipelines.written(bob);
        new im.parley.connection.delivery.DeliveryWriter(tier.sessions, tier.node.metrics()).lost();
        assertThat(Pipelines.written(alice)).singleElement().asString().contains("\"t\":\"resync\"");
        assertThat(Pipelines.written(bob)).singleElement().asString().contains("\"t\":\"resync\"");
        assertThat(tier.node.metrics().scrape()).contains("parley_delivery_gaps_total 1.0");
    }

    @Test
    void aBadTokenIsClosedWith4401AndNothingIsRegistered() {
        Pipelines tier = new Pipelines(50, 100);
        EmbeddedChannel mallory = tier.connect("not-a-token");
        assertThat(Pipelines.written(mallory)).contains("CloseWebSocketFrame");
        assertThat(tier.sessions.size()).isZero();
        assertThat(tier.sink.events()).isEmpty();
    }

    @Test
    void framesBecomeEventsPingsArePongedAndBadFramesGetAnError() {
        Pipelines tier = new Pipelines(50, 100);
        EmbeddedChannel alice = tier.connect("alice", Duration.ofMinutes(5));
        Pipelines.written(alice);
        Pipelines.send(alice, send("c1"));
        Pipelines.send(alice, "{\"v\":1,\"t\":\"ping\",\"id\":\"p1\"}");
        Pipelines.send(alice, "not json");
        Pipelines.send(alice, "{\"v\":1,\"t\":\"send\",\"id\":\"r2\",\"d\":{\"conversationId\":\"d:alice:bob\"}}");
        alice.writeInbound(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(new byte[] {1, 2})));
        List<String> replies = Pipelines.written(alice);
        assertThat(replies).hasSize(4);
        assertThat(replies.get(0)).contains("\"t\":\"pong\"", "\"id\":\"p1\"");
        assertThat(replies.get(1)).contains("\"code\":\"malformed\"");
        assertThat(replies.get(2)).contains("\"code\":\"invalid\"", "\"id\":\"r2\"");
        assertThat(replies.get(3)).contains("\"code\":\"unsupported\"");
        await(() -> tier.sink.events().size() == 2);
        assertThat(tier.sink.events()).extracting(e -> e.getType()).endsWith(EventTypes.MESSAGE_SENT.type());
        assertThat(tier.sink.events().get(1).getExtension("userid")).as("stamped with the session's user").isEqualTo("alice");
    }

    @Test
    void aFrameTheBrokerRefusesIsAnsweredUnavailableNamingItsClientMsgId() {
        Pipelines tier = new Pipelines(50, 100);
        EmbeddedChannel alice = tier.connect("alice", Duration.ofMinutes(5));
        Pipelines.written(alice);
        tier.sink.autoComplete = false;
        Pipelines.send(alice, send("c7"));
        await(() -> tier.sink.published.size() == 2);
        tier.sink.published.get(1).done().completeExceptionally(new IllegalStateException("broker down"));
        String error = awaitWritten(alice);
        assertThat(error).contains("\"t\":\"error\"", "\"code\":\"unavailable\"", "\"clientMsgId\":\"c7\"", "\"id\":\"r-c7\"");
    }

    @Test
    void tooManyFramesInFlightStopReadingUntilHalfAreAnswered() {
        Pipelines tier = new Pipelines(10_000, 10_000);
        EmbeddedChannel alice = tier.connect("alice", Duration.ofMinutes(5));
        Pipelines.written(alice);
        tier.sink.autoComplete = false;
        for (int i = 0; i < Ingress.MAX_IN_FLIGHT; i++) {
            Pipelines.send(alice, send("m" + i));
        }
        assertThat(alice.config().isAutoRead()).as("paused at the bound").isFalse();
        await(() -> tier.sink.published.size() == 1 + Ingress.MAX_IN_FLIGHT);
        for (int i = 1; i <= Ingress.MAX_IN_FLIGHT / 2; i++) {
            tier.sink.published.get(i).done().complete(null);
        }
        alice.runPendingTasks();
        assertThat(alice.config().isAutoRead()).as("resumed at half").isTrue();
    }

    @Test
    void aClientOverItsRateGetsErrorsThenIsClosed() {
        Pipelines tier = new Pipelines(1, 2);
        EmbeddedChannel alice = tier.connect("alice", Duration.ofMinutes(5));
        Pipelines.written(alice);
        // Two in the burst, two refused with an error, and the fifth in a row closes it.
        for (int i = 0; i < 5; i++) {
            Pipelines.send(alice, "{\"v\":1,\"t\":\"ping\"}");
        }
        List<String> replies = Pipelines.written(alice);
        assertThat(replies.subList(0, 2)).allMatch(r -> r.contains("pong"));
        assertThat(replies.subList(2, 4)).allMatch(r -> r.contains("rate-limited"));
        assertThat(replies).contains("CloseWebSocketFrame");
    }

    @Test
    void manyDevicesOfOneUserShareTheUsersRate() {
        Pipelines tier = new Pipelines(1, 2, 1, 3);
        String token = DevTokens.mint(Pipelines.SECRET, "alice", null, Duration.ofMinutes(5));
        EmbeddedChannel phone = tier.connectDevice(token, "phone");
        EmbeddedChannel laptop = tier.connectDevice(token, "laptop");
        EmbeddedChannel bob = tier.connect("bob", Duration.ofMinutes(5));
        Pipelines.written(phone);
        Pipelines.written(laptop);
        Pipelines.written(bob);
        // Each connection may send two at once, but alice's devices together only three.
        for (EmbeddedChannel device : List.of(phone, laptop)) {
            Pipelines.send(device, "{\"v\":1,\"t\":\"ping\"}");
            Pipelines.send(device, "{\"v\":1,\"t\":\"ping\"}");
        }
        Pipelines.send(bob, "{\"v\":1,\"t\":\"ping\"}");
        assertThat(Pipelines.written(phone)).allMatch(r -> r.contains("pong")).hasSize(2);
        List<String> laptopReplies = Pipelines.written(laptop);
        assertThat(laptopReplies.get(0)).contains("pong");
        assertThat(laptopReplies.get(1)).contains("rate-limited").contains("from your devices together");
        assertThat(Pipelines.written(bob)).as("another user is not held back").singleElement()
                .satisfies(r -> assertThat(r).contains("pong"));
    }

    @Test
    void anExpiredTokenEndsTheConnectionAtItsNextFrame() throws Exception {
        Pipelines tier = new Pipelines(50, 100);
        EmbeddedChannel alice = tier.connect("alice", Duration.ofSeconds(1));
        Pipelines.written(alice);
        Thread.sleep(1_100);
        Pipelines.send(alice, send("late"));
        assertThat(Pipelines.written(alice)).containsExactly("CloseWebSocketFrame");
        Thread.sleep(200);
        assertThat(tier.sink.events()).extracting(e -> e.getType()).doesNotContain(EventTypes.MESSAGE_SENT.type());
    }

    static void await(java.util.function.BooleanSupplier condition) {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out");
            }
            Thread.onSpinWait();
        }
    }

    static String awaitWritten(EmbeddedChannel channel) {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (System.nanoTime() < deadline) {
            List<String> written = Pipelines.written(channel);
            if (!written.isEmpty()) {
                return written.get(0);
            }
            Thread.onSpinWait();
        }
        throw new AssertionError("nothing written");
    }
}
