package im.parley.connection.server;

import im.parley.connection.protocol.CloseCodes;
import im.parley.eventing.connection.ConnectionClosed;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;

/**
 * A message a client sent in fragments (continuation frames, as the JDK's client does above 16 KiB) is joined
 * before it is read. A message past the frame limit, whole or joined, is closed with 1009, as one large frame is.
 */
final class Fragments extends WebSocketFrameAggregator {

    private final int maxBytes;

    Fragments(int maxBytes) {
        super(maxBytes);
        this.maxBytes = maxBytes;
    }

    @Override
    protected void handleOversizedMessage(ChannelHandlerContext ctx, WebSocketFrame oversized) {
        Disconnect.close(ctx.channel(), ConnectionClosed.Reason.PROTOCOL_ERROR, CloseCodes.TOO_BIG,
                "message larger than " + maxBytes + " bytes");
    }
}
