package im.parley.connection.server;

import im.parley.connection.protocol.CloseCodes;
import im.parley.connection.protocol.DownstreamFrames;
import im.parley.eventing.connection.ConnectionClosed;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.util.ReferenceCountUtil;

/**
 * Which frames are taken at all: none once the connection is closing or its token has expired, none beyond the
 * connection's rate or its user's (over all the user's connections to this node; an error each, then a close when
 * the client keeps on), and no binary frames in protocol v1.
 */
@ChannelHandler.Sharable
final class Admission extends ChannelInboundHandlerAdapter {

    private final Node node;

    Admission(Node node) {
        this.node = node;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        Session session = Session.of(ctx.channel());
        if (session == null || Disconnect.closing(ctx.channel())) {
            ReferenceCountUtil.release(msg); // the close frame is sent; nothing more is taken from this client
            return;
        }
        if (msg instanceof BinaryWebSocketFrame) {
            ReferenceCountUtil.release(msg);
            reply(ctx, DownstreamFrames.error(null, "unsupported", "binary frames are not supported in protocol v1"));
            return;
        }
        if (!(msg instanceof TextWebSocketFrame)) {
            ctx.fireChannelRead(msg);
            return;
        }
        node.metrics().frameIn();
        if (session.expired()) {
            ReferenceCountUtil.release(msg);
            return;
        }
        long now = System.nanoTime();
        if (!session.bucket.tryTake(now)) {
            limited(ctx, session, "more than " + node.settings().ratePerSecond() + " frames/s");
            ReferenceCountUtil.release(msg);
            return;
        }
        if (!node.userRates().tryTake(session.actor.userId(), now)) {
            limited(ctx, session, "more than " + node.settings().userRatePerSecond() + " frames/s from your devices together");
            ReferenceCountUtil.release(msg);
            return;
        }
        session.limitedInARow = 0;
        ctx.fireChannelRead(msg);
    }

    private void limited(ChannelHandlerContext ctx, Session session, String why) {
        node.metrics().rejected("rate-limited");
        if (++session.limitedInARow > node.settings().rateBurst()) {
            Disconnect.close(ctx.channel(), ConnectionClosed.Reason.RATE_LIMITED, CloseCodes.RATE_LIMITED,
                    "rate limit exceeded");
        } else {
            reply(ctx, DownstreamFrames.error(null, "rate-limited", why + "; this frame was not accepted, retry later"));
        }
    }

    static void reply(ChannelHandlerContext ctx, String frame) {
        ctx.writeAndFlush(new TextWebSocketFrame(frame), ctx.voidPromise());
    }
}
