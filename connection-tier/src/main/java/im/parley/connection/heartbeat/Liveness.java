package im.parley.connection.heartbeat;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * First in a connection's pipeline, so any bytes from the client count as life, pongs included (the WebSocket
 * handler consumes control frames). It notes the time and has {@link Heartbeats} sweep it; what quiet means is
 * decided by its listener. Until the connection is claimed (authenticated), a socket quiet for the idle timeout is
 * closed: one that never sends its upgrade request would otherwise stay open for good.
 */
public final class Liveness extends ChannelInboundHandlerAdapter implements Quiet {

    private final Heartbeats heartbeats;
    private final int idleIntervals;
    private ChannelHandlerContext ctx;
    long lastReadNanos = System.nanoTime();
    /** Quiet intervals already reported since the last read. */
    int reported;
    /** Position in its sweep's list while tracked, else -1. */
    int slot = -1;
    Quiet listener = this;

    /** @param idleIntervals whole ping intervals of quiet after which an unclaimed socket is closed */
    public Liveness(Heartbeats heartbeats, int idleIntervals) {
        this.heartbeats = heartbeats;
        this.idleIntervals = idleIntervals;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        this.ctx = ctx;
        heartbeats.track(ctx.channel().eventLoop(), this, listener);
        super.channelActive(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        heartbeats.untrack(ctx.channel().eventLoop(), this);
        super.channelInactive(ctx);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        noteRead();
        ctx.fireChannelRead(msg);
    }

    /** Hands the quiet to the connection's owner from now on; call on its event loop. */
    public void listen(Quiet owner) {
        this.listener = owner;
    }

    @Override
    public void onQuiet(int intervals) {
        if (intervals >= idleIntervals) {
            ctx.close();
        }
    }

    /** On the connection's event loop, as the sweep is, so a read simply starts a new quiet streak. */
    void noteRead() {
        lastReadNanos = System.nanoTime();
        reported = 0;
    }
}
