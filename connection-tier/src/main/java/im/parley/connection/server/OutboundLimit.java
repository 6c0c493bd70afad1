package im.parley.connection.server;

import im.parley.connection.protocol.CloseCodes;
import im.parley.eventing.connection.ConnectionClosed;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.util.ReferenceCountUtil;
import java.time.Duration;
import java.util.ArrayDeque;

/**
 * What a socket has not taken yet, bounded. Netty's own buffer is kept small (the channel's water marks, {@link
 * #NETTY_HIGH} bytes); frames beyond it wait here, whole. A client whose backlog passes the limit does not read: the
 * backlog is dropped, and the close frame (4413) goes right behind what is already on its way, so a client that
 * reads again learns why, with no frame cut off, and the socket's memory stays bounded.
 */
final class OutboundLimit extends ChannelDuplexHandler {

    /** Netty's buffer for a socket: past this it is unwritable, and frames wait here. */
    static final int NETTY_HIGH = 64 * 1024;
    static final int NETTY_LOW = 32 * 1024;
    /** A paused client (a backgrounded app) that reads again within this gets the close frame. */
    static final Duration CLOSE_GRACE = Duration.ofSeconds(10);

    private record Waiting(WebSocketFrame frame, ChannelPromise promise) {
    }

    private final Node node;
    private final long limit;
    private ArrayDeque<Waiting> waiting;
    private long waitingBytes;
    private boolean overflowed;

    /** @param limit bytes that may wait for one socket before its client counts as too slow */
    OutboundLimit(Node node, long limit) {
        this.node = node;
        this.limit = limit;
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (!(msg instanceof WebSocketFrame frame)) {
            ctx.write(msg, promise); // the handshake's HTTP response
            return;
        }
        if (overflowed) {
            if (frame instanceof CloseWebSocketFrame) {
                ctx.write(frame, promise);
            } else {
                drop(frame, promise);
            }
            return;
        }
        if ((waiting == null || waiting.isEmpty()) && ctx.channel().isWritable()) {
            ctx.write(frame, promise);
            return;
        }
        if (waiting == null) {
            waiting = new ArrayDeque<>();
        }
        waiting.add(new Waiting(frame, promise));
        waitingBytes += frame.content().readableBytes();
        if (waitingBytes > limit) {
            overflow(ctx);
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
        if (waiting != null && !waiting.isEmpty() && ctx.channel().isWritable()) {
            while (!waiting.isEmpty() && ctx.channel().isWritable()) {
                Waiting next = waiting.poll();
                waitingBytes -= next.frame().content().readableBytes();
                ctx.write(next.frame(), next.promise());
            }
            ctx.flush();
        }
        super.channelWritabilityChanged(ctx);
    }

    private void overflow(ChannelHandlerContext ctx) {
        overflowed = true;
        dropWaiting();
        node.metrics().slowConsumer();
        Disconnect.close(ctx.channel(), ConnectionClosed.Reason.SLOW_CONSUMER, CloseCodes.SLOW_CONSUMER,
                "slow consumer: not reading", CLOSE_GRACE);
    }

    private void dropWaiting() {
        if (waiting != null) {
            for (Waiting w; (w = waiting.poll()) != null; ) {
                drop(w.frame(), w.promise());
            }
        }
        waitingBytes = 0;
    }

    private static void drop(WebSocketFrame frame, ChannelPromise promise) {
        ReferenceCountUtil.release(frame);
        if (!promise.isVoid()) {
            promise.tryFailure(new IllegalStateException("dropped: the client does not read"));
        }
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        dropWaiting();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        dropWaiting();
        super.channelInactive(ctx);
    }
}
