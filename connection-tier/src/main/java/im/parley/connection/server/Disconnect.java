package im.parley.connection.server;

import im.parley.eventing.connection.ConnectionClosed;
import io.netty.channel.Channel;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.util.AttributeKey;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Every way the tier ends a connection: a close frame with the reason, and a hard close if it cannot be sent. */
public final class Disconnect {

    /** A client that does not read never takes the close frame off the queue; it is cut off after this. */
    private static final Duration GRACE = Duration.ofSeconds(1);

    /** Set once the close frame is on its way: what the client still sends is read and dropped. */
    public static final AttributeKey<Boolean> CLOSING = AttributeKey.valueOf("parley.closing");

    public static boolean closing(Channel channel) {
        return Boolean.TRUE.equals(channel.attr(CLOSING).get());
    }

    private Disconnect() {
    }

    /** @param reason why, for connection.closed; null when no session was established */
    public static void close(Channel channel, ConnectionClosed.Reason reason, int code, String text) {
        close(channel, reason, code, text, GRACE);
    }

    /** @param grace how long the close frame may take to reach the client before the socket is cut */
    public static void close(Channel channel, ConnectionClosed.Reason reason, int code, String text, Duration grace) {
        if (!channel.isActive()) {
            return;
        }
        if (reason != null) {
            channel.attr(Node.CLOSE_REASON).setIfAbsent(reason);
        }
        channel.attr(CLOSING).set(true);
        // Half-close after the close frame and keep reading until the client closes: closing a socket with
        // unread input (a client still flooding) makes the kernel send a reset, and the client would never see
        // the close code.
        channel.writeAndFlush(new CloseWebSocketFrame(code, text)).addListener(written -> {
            if (channel instanceof DuplexChannel duplex && written.isSuccess()) {
                duplex.shutdownOutput();
            } else {
                channel.close();
            }
        });
        channel.eventLoop().schedule(() -> {
            if (channel.isActive()) {
                channel.close();
            }
        }, grace.toMillis(), TimeUnit.MILLISECONDS);
    }
}
