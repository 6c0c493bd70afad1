package im.parley.connection.server;

import im.parley.connection.TierMetrics;
import im.parley.connection.TierSettings;
import im.parley.connection.auth.DevTokens;
import im.parley.connection.auth.TokenVerifier;
import im.parley.connection.heartbeat.Heartbeats;
import im.parley.connection.heartbeat.Liveness;
import im.parley.connection.ingress.Publisher;
import im.parley.connection.limits.UserRates;
import im.parley.connection.presence.InMemoryPresenceRegistry;
import im.parley.connection.session.SessionRegistry;
import im.parley.eventing.Events;
import im.parley.eventing.broker.InMemoryBrokerSink;
import im.parley.eventing.broker.KafkaSecurity;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler.HandshakeComplete;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** A node with in-memory presence and broker, and connections as EmbeddedChannels through the tier's handlers. */
final class Pipelines {

    static final String SECRET = "unit-secret-that-is-at-least-32-bytes-long";

    final InMemoryBrokerSink sink = new InMemoryBrokerSink();
    final InMemoryPresenceRegistry.Board presence = new InMemoryPresenceRegistry.Board();
    final SessionRegistry sessions = new SessionRegistry();
    final Node node;

    Pipelines(double ratePerSecond, int burst) {
        this(ratePerSecond, burst, ratePerSecond * 2, burst * 2);
    }

    Pipelines(double ratePerSecond, int burst, double userRatePerSecond, int userBurst) {
        TierSettings settings = new TierSettings("n1", "127.0.0.1", 0, 0, "unused:9092", "parley", "redis://unused",
                SECRET, null, null, null, 64 * 1024, ratePerSecond, burst, 1 << 20, Duration.ofSeconds(25),
                Duration.ofSeconds(70), Duration.ofSeconds(90), Duration.ofSeconds(5), null, null, 0, 10,
                userRatePerSecond, userBurst, KafkaSecurity.NONE, null);
        node = new Node("n1", Events.nodeSource("n1"), settings, TokenVerifier.hs256(SECRET, null), sessions,
                new Publisher(sink, 1000), presence.node("n1"), new TierMetrics(sessions::size),
                new Heartbeats(settings.pingInterval()), new UserRates(userRatePerSecond, userBurst), new AtomicInteger());
    }

    /** A connection past the handshake, with the given token; the channel keeps what the tier writes. */
    EmbeddedChannel connect(String token) {
        return connectDevice(token, "phone");
    }

    EmbeddedChannel connectDevice(String token, String device) {
        EmbeddedChannel channel = new EmbeddedChannel(new Liveness(node.heartbeats(), 3), new Authentication(node),
                new Admission(node), new Frames(node), new Ingress(node));
        DefaultHttpHeaders headers = new DefaultHttpHeaders();
        channel.pipeline().fireUserEventTriggered(new HandshakeComplete("/ws?device=" + device + "&token=" + token, headers, null));
        channel.runPendingTasks();
        return channel;
    }

    EmbeddedChannel connect(String user, Duration lifetime) {
        return connect(DevTokens.mint(SECRET, user, null, lifetime));
    }

    /** Every text frame the tier wrote, in order. */
    static List<String> written(EmbeddedChannel channel) {
        channel.runPendingTasks();
        List<String> frames = new ArrayList<>();
        for (Object out; (out = channel.readOutbound()) != null; ) {
            if (out instanceof TextWebSocketFrame text) {
                frames.add(text.text());
                text.release();
            } else {
                frames.add(out.getClass().getSimpleName());
            }
        }
        return frames;
    }

    static void send(EmbeddedChannel channel, String frame) {
        channel.writeInbound(new TextWebSocketFrame(frame));
        channel.runPendingTasks();
    }
}
