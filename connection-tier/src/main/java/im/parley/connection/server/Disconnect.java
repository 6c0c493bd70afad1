package im.parley.connection.server;

import im.parley.eventing.connection.ConnectionClosed;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import java.util.concurrent.TimeUnit;

/** Every way the tier ends a connection: a close frame with the reason, and a hard close if it cannot be sent. */
public final class Disconnect {

    /** A client that does not read never takes the close frame off the queue; it is cut off after this. */
    private static final long GRACE_MILLIS = 1000;

    private Disconnect() {
    }

    /** @param reason why, for connection.closed; null when no session was established */
    public static void close(Channel channel, ConnectionClosed.Reason reason, int code, String text) {
        if (!channel.isActive()) {
            return;
        }
        if (reason != null) {
            channel.attr(Node.CLOSE_REASON).setIfAbsent(reason);
        }
        channel.writeAndFlush(new CloseWebSocketFrame(code, text)).addListener(ChannelFutureListener.CLOSE);
        channel.eventLoop().schedule(() -> {
            if (channel.isActive()) {
                channel.close();
            }
        }, GRACE_MILLIS, TimeUnit.MILLISECONDS);
    }
}
