package im.parley.connection.server;

import im.parley.connection.protocol.DownstreamFrames;
import im.parley.connection.protocol.FrameConversion;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.util.ReferenceCountUtil;

/**
 * Each text frame becomes the event it stands for, stamped with the connection's actor ({@link FrameConversion}):
 * passed on as {@link Upstream}, or answered here, with a {@code pong} or an {@code error} naming what is wrong.
 */
@ChannelHandler.Sharable
final class Frames extends ChannelInboundHandlerAdapter {

    private final Node node;

    Frames(Node node) {
        this.node = node;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof TextWebSocketFrame text)) {
            ctx.fireChannelRead(msg);
            return;
        }
        FrameConversion.Outcome outcome;
        try {
            outcome = FrameConversion.convert(ByteBufUtil.getBytes(text.content()), Session.of(ctx.channel()).actor,
                    node.source());
        } finally {
            ReferenceCountUtil.release(text);
        }
        if (outcome instanceof FrameConversion.Event e) {
            ctx.fireChannelRead(new Upstream(e.event(), e.requestId(), e.clientMsgId()));
        } else if (outcome instanceof FrameConversion.Ping p) {
            Admission.reply(ctx, DownstreamFrames.pong(p.requestId()));
        } else if (outcome instanceof FrameConversion.Rejected r) {
            node.metrics().rejected(r.code());
            Admission.reply(ctx, DownstreamFrames.error(r.requestId(), r.code(), r.reason()));
        }
    }

    /**
     * An event a client's frame became, on its way to the broker.
     *
     * @param clientMsgId the message's, for a {@code send} frame, so that an error about it can name it
     */
    record Upstream(io.cloudevents.CloudEvent event, String requestId, String clientMsgId) {
    }
}
