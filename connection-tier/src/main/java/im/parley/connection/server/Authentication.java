package im.parley.connection.server;

import im.parley.connection.auth.AuthenticationException;
import im.parley.connection.auth.Principal;
import im.parley.connection.heartbeat.Liveness;
import im.parley.connection.protocol.CloseCodes;
import im.parley.connection.protocol.DownstreamFrames;
import im.parley.connection.protocol.FrameConversion;
import im.parley.eventing.EventTypes;
import im.parley.eventing.Events;
import im.parley.eventing.connection.ConnectionClosed;
import im.parley.eventing.connection.ConnectionOpened;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler.HandshakeComplete;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A connection's start and end: the token is checked once the WebSocket handshake is done; then the device is
 * registered here and in presence, {@code connection.opened} is published, and the client is welcomed. The end
 * (whoever closes) undoes it all and publishes {@code connection.closed}. Its work done, it leaves the pipeline.
 * A plain HTTP request on another path gets a 404.
 */
@ChannelHandler.Sharable
final class Authentication extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(Authentication.class);
    private static final Pattern PLATFORM = Pattern.compile("[A-Za-z0-9._-]{1,32}");

    static final int PRESENCE_ATTEMPTS = 3;
    static final Duration PRESENCE_BACKOFF = Duration.ofMillis(200);

    private final Node node;

    Authentication(Node node) {
        this.node = node;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof HandshakeComplete handshake) {
            authenticate(ctx, handshake);
        } else {
            super.userEventTriggered(ctx, evt);
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof FullHttpRequest) {
            ReferenceCountUtil.release(msg);
            notAWebSocket(ctx);
        } else {
            ctx.fireChannelRead(msg);
        }
    }

    private void authenticate(ChannelHandlerContext ctx, HandshakeComplete handshake) {
        QueryStringDecoder query = new QueryStringDecoder(handshake.requestUri());
        String token = first(query.parameters().get("token"));
        String header = handshake.requestHeaders().get(HttpHeaderNames.AUTHORIZATION);
        if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            token = header.substring(7).trim();
        }
        Principal principal;
        try {
            principal = node.verifier().verify(token, first(query.parameters().get("device")));
        } catch (AuthenticationException e) {
            node.metrics().rejected("unauthorized");
            Disconnect.close(ctx.channel(), null, CloseCodes.UNAUTHORIZED, e.getMessage());
            return;
        }
        Channel channel = ctx.channel();
        Session session = new Session(channel, node, principal);
        channel.attr(Session.KEY).set(session);
        Channel replaced = node.sessions().register(principal.userId(), principal.deviceId(), channel);
        if (replaced != null && replaced != channel) {
            Disconnect.close(replaced, ConnectionClosed.Reason.CLIENT_CLOSED, CloseCodes.REPLACED, "replaced by a newer connection");
        }
        channel.closeFuture().addListener(closed -> ended(session));
        ctx.pipeline().get(Liveness.class).listen(session);
        publish(Events.create(EventTypes.CONNECTION_OPENED, new ConnectionOpened(
                platform(first(query.parameters().get("platform"))), FrameConversion.VERSION), session.actor, node.source()));
        online(channel, principal, DownstreamFrames.welcome(principal.userId(), principal.deviceId(), node.nodeId()), 1);
        ctx.pipeline().remove(this);
    }

    /**
     * Welcome only once presence is written: a client that syncs after its welcome must not miss a live delivery
     * routed while its presence was absent. A failed write is tried again; a device that cannot be made reachable
     * is told to come back later instead of being welcomed into missing its messages.
     */
    private void online(Channel channel, Principal principal, String welcome, int attempt) {
        node.track(node.presence().online(principal.userId(), principal.deviceId(), node.settings().maxDevices()))
                .whenComplete((recorded, failure) -> channel.eventLoop().execute(() -> {
                    if (!channel.isActive()) {
                        return;
                    }
                    if (failure == null && recorded) {
                        channel.writeAndFlush(new TextWebSocketFrame(welcome), channel.voidPromise());
                    } else if (failure == null) {
                        node.metrics().rejected("too-many-devices");
                        Disconnect.close(channel, ConnectionClosed.Reason.TOO_MANY_DEVICES, CloseCodes.TOO_MANY_DEVICES,
                                "at most " + node.settings().maxDevices() + " devices online at once");
                    } else if (attempt < PRESENCE_ATTEMPTS) {
                        LOG.warn("presence of {}/{} not written (attempt {}): {}", principal.userId(), principal.deviceId(),
                                attempt, failure.toString());
                        channel.eventLoop().schedule(() -> online(channel, principal, welcome, attempt + 1),
                                PRESENCE_BACKOFF.toMillis() << (attempt - 1), TimeUnit.MILLISECONDS);
                    } else {
                        node.metrics().rejected("presence-unavailable");
                        Disconnect.close(channel, ConnectionClosed.Reason.SERVER_ERROR, CloseCodes.TRY_AGAIN_LATER,
                                "presence unavailable, reconnect later");
                    }
                }));
    }

    private void ended(Session session) {
        Principal principal = session.principal;
        node.sessions().unregister(principal.userId(), principal.deviceId(), session.channel);
        if (node.sessions().find(principal.userId(), principal.deviceId()) == null) {
            node.track(node.presence().offline(principal.userId(), principal.deviceId()));
        }
        ConnectionClosed.Reason reason = session.channel.attr(Node.CLOSE_REASON).get();
        publish(Events.create(EventTypes.CONNECTION_CLOSED, new ConnectionClosed(
                reason == null ? ConnectionClosed.Reason.CLIENT_CLOSED : reason,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - session.connectedAtNanos)), session.actor, node.source()));
    }

    private void publish(io.cloudevents.CloudEvent event) {
        node.track(node.publisher().publish(event)).whenComplete((ok, failure) -> {
            if (failure != null) {
                node.metrics().produceFailed();
                LOG.warn("broker refused {}: {}", event.getType(), failure.toString());
            }
        });
    }

    private static void notAWebSocket(ChannelHandlerContext ctx) {
        byte[] body = "Parley speaks WebSocket at /ws (see docs/protocol.md)\n".getBytes(StandardCharsets.UTF_8);
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.NOT_FOUND,
                Unpooled.wrappedBuffer(body));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8")
                .setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
        ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }

    /** The client's platform label, if it is a plain short word; anything else is left out of the event. */
    private static String platform(String value) {
        return value != null && PLATFORM.matcher(value).matches() ? value : null;
    }

    private static String first(List<String> values) {
        return values == null || values.isEmpty() ? null : values.get(0);
    }
}
