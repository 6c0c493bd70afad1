package im.parley.connection.heartbeat;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * First in a connection's pipeline, so any bytes from the client count as life, pongs included (the WebSocket
 * handler consumes control frames). It only notes the time; {@link Heartbeats} decides what quiet means.
 */
public final class Liveness extends ChannelInboundHandlerAdapter {

    /** Told, on the connection's event loop, each time its quiet reaches one more whole ping interval. */
    public interface Quiet {
        void onQuiet(int intervals);
    }

    long lastReadNanos = System.nanoTime();
    /** Quiet intervals already reported since the last read. */
    int reported;
    /** Position in its sweep's list while tracked, else -1. */
    int slot = -1;
    Quiet listener;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        noteRead();
        ctx.fireChannelRead(msg);
    }

    /** On the connection's event loop, as the sweep is, so a read simply starts a new quiet streak. */
    void noteRead() {
        lastReadNanos = System.nanoTime();
        reported = 0;
    }
}
