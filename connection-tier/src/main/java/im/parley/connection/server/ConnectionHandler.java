package im.parley.connection.server;

import im.parley.connection.auth.AuthenticationException;
import im.parley.connection.auth.Principal;
import im.parley.connection.heartbeat.Liveness;
import im.parley.connection.limits.TokenBucket;
import im.parley.connection.protocol.CloseCodes;
import im.parley.connection.protocol.DownstreamFrames;
import im.parley.connection.protocol.FrameConversion;
import im.parley.eventing.Actor;
import im.parley.eventing.EventTypes;
import im.parley.eventing.Events;
import im.parley.eventing.connection.ConnectionClosed;
import im.parley.eventing.connection.ConnectionOpened;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler.HandshakeComplete;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One connection's life: authenticate at the handshake, turn frames into events, clean up at the end. */
final class ConnectionHandler extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(ConnectionHandler.class);
    private static final java.util.regex.Pattern PLATFORM = java.util.regex.Pattern.compile("[A-Za-z0-9._-]{1,32}");

    private final Node node;
    private Principal principal;
    private Actor actor;
    private TokenBucket bucket;
    private int limitedInARow;
    private final Liveness liveness;
    private long connectedAt;

    ConnectionHandler(Node node, Liveness liveness) {
        this.node = node;
        this.liveness = liveness;
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
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        node.heartbeats().track(ctx.channel().eventLoop(), liveness, quiet -> onQuiet(ctx, quiet));
        super.channelActive(ctx);
    }

    /** Nothing read for whole ping intervals: ping, and close once the quiet has lasted the idle timeout. */
    private void onQuiet(ChannelHandlerContext ctx, int quietIntervals) {
        long quietMillis = quietIntervals * node.settings().pingInterval().toMillis();
        if (principal == null) {
            // A socket that never sent its upgrade request: Netty's handshake timeout only starts with the request.
            if (quietMillis >= node.settings().idleTimeout().toMillis()) {
                ctx.close();
            }
            return;
        }
        if (Disconnect.closing(ctx.channel()) || expired(ctx)) {
            return;
        }
        if (quietMillis >= node.settings().idleTimeout().toMillis()) {
            Disconnect.close(ctx.channel(), ConnectionClosed.Reason.IDLE_TIMEOUT, CloseCodes.IDLE_TIMEOUT, "idle timeout");
        } else {
            ctx.writeAndFlush(new PingWebSocketFrame(), ctx.voidPromise());
        }
    }

    /** Checked on every frame and every quiet interval, so no timer per connection is needed for it. */
    private boolean expired(ChannelHandlerContext ctx) {
        if (System.currentTimeMillis() < principal.expiresAtMillis()) {
            return false;
        }
        Disconnect.close(ctx.channel(), ConnectionClosed.Reason.AUTH_EXPIRED, CloseCodes.UNAUTHORIZED, "token expired");
        return true;
    }

    private void authenticate(ChannelHandlerContext ctx, HandshakeComplete handshake) {
        QueryStringDecoder query = new QueryStringDecoder(handshake.requestUri());
        String token = first(query.parameters().get("token"));
        String header = handshake.requestHeaders().get(HttpHeaderNames.AUTHORIZATION);
        if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            token = header.substring(7).trim();
        }
        try {
            principal = node.verifier().verify(token, first(query.parameters().get("device")));
        } catch (AuthenticationException e) {
            node.metrics().rejected("unauthorized");
            Disconnect.close(ctx.channel(), null, CloseCodes.UNAUTHORIZED, e.getMessage());
            return;
        }
        actor = new Actor(principal.userId(), principal.deviceId(), node.nodeId());
        bucket = new TokenBucket(node.settings().ratePerSecond(), node.settings().rateBurst(), System.nanoTime());
        connectedAt = System.nanoTime();
        Channel replaced = node.sessions().register(principal.userId(), principal.deviceId(), ctx.channel());
        if (replaced != null && replaced != ctx.channel()) {
            Disconnect.close(replaced, ConnectionClosed.Reason.CLIENT_CLOSED, CloseCodes.REPLACED, "replaced by a newer connection");
        }
        publish(ctx, Events.create(EventTypes.CONNECTION_OPENED, new ConnectionOpened(
                platform(first(query.parameters().get("platform"))), FrameConversion.VERSION), actor, node.source()), null);
        // Welcome only once presence is written: a client that syncs after its welcome must not miss
        // a live delivery routed while its presence was still absent.
        String welcome = DownstreamFrames.welcome(principal.userId(), principal.deviceId(), node.nodeId());
        node.track(node.presence().online(principal.userId(), principal.deviceId()))
                .whenComplete((ok, failure) -> ctx.executor().execute(() -> {
                    if (ctx.channel().isActive()) {
                        ctx.writeAndFlush(new TextWebSocketFrame(welcome), ctx.voidPromise());
                    }
                }));
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (Disconnect.closing(ctx.channel())) {
                return; // the close frame is sent; nothing more is taken from this client
            }
            if (msg instanceof TextWebSocketFrame text && principal != null) {
                onText(ctx, ByteBufUtil.getBytes(text.content()));
            } else if (msg instanceof BinaryWebSocketFrame) {
                reply(ctx, DownstreamFrames.error(null, "unsupported", "binary frames are not supported in protocol v1"));
            } else if (msg instanceof FullHttpRequest request) {
                notAWebSocket(ctx, request);
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private void onText(ChannelHandlerContext ctx, byte[] frame) {
        node.metrics().frameIn();
        if (expired(ctx)) {
            return;
        }
        if (!bucket.tryTake(System.nanoTime())) {
            node.metrics().rejected("rate-limited");
            if (++limitedInARow > node.settings().rateBurst()) {
                Disconnect.close(ctx.channel(), ConnectionClosed.Reason.RATE_LIMITED, CloseCodes.RATE_LIMITED, "rate limit exceeded");
            } else {
                reply(ctx, DownstreamFrames.error(null, "rate-limited",
                        "more than " + node.settings().ratePerSecond() + " frames/s; this frame was not accepted, retry later"));
            }
            return;
        }
        limitedInARow = 0;
        FrameConversion.Outcome outcome = FrameConversion.convert(frame, actor, node.source());
        if (outcome instanceof FrameConversion.Event e) {
            publish(ctx, e.event(), e.requestId());
        } else if (outcome instanceof FrameConversion.Ping p) {
            reply(ctx, DownstreamFrames.pong(p.requestId()));
        } else if (outcome instanceof FrameConversion.Rejected r) {
            node.metrics().rejected(r.code());
            reply(ctx, DownstreamFrames.error(r.requestId(), r.code(), r.reason()));
        }
    }

    private void publish(ChannelHandlerContext ctx, io.cloudevents.CloudEvent event, String requestId) {
        long t0 = System.nanoTime();
        node.track(node.sink().publish(event)).whenComplete((ok, error) -> {
            if (error == null) {
                node.metrics().produced(System.nanoTime() - t0);
            } else {
                node.metrics().produceFailed();
                LOG.warn("broker refused {} from {}: {}", event.getType(), actor, error.toString());
                if (ctx.channel().isActive()) {
                    reply(ctx, DownstreamFrames.error(requestId, "unavailable",
                            "the frame could not be stored; send it again"));
                }
            }
        });
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        node.heartbeats().untrack(ctx.channel().eventLoop(), liveness);
        if (principal != null) {
            node.sessions().unregister(principal.userId(), principal.deviceId(), ctx.channel());
            if (node.sessions().find(principal.userId(), principal.deviceId()) == null) {
                node.track(node.presence().offline(principal.userId(), principal.deviceId()));
            }
            ConnectionClosed.Reason reason = ctx.channel().attr(Node.CLOSE_REASON).get();
            publish(ctx, Events.create(EventTypes.CONNECTION_CLOSED, new ConnectionClosed(
                    reason == null ? ConnectionClosed.Reason.CLIENT_CLOSED : reason,
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - connectedAt)), actor, node.source()), null);
        }
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("closing {} after {}", ctx.channel(), cause.toString());
        ctx.channel().attr(Node.CLOSE_REASON).setIfAbsent(ConnectionClosed.Reason.PROTOCOL_ERROR);
        ctx.close();
    }

    private static void reply(ChannelHandlerContext ctx, String frame) {
        ctx.writeAndFlush(new TextWebSocketFrame(frame), ctx.voidPromise());
    }

    private static void notAWebSocket(ChannelHandlerContext ctx, FullHttpRequest request) {
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
