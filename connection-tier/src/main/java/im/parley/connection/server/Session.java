package im.parley.connection.server;

import im.parley.connection.auth.Principal;
import im.parley.connection.heartbeat.Quiet;
import im.parley.connection.limits.TokenBucket;
import im.parley.connection.protocol.CloseCodes;
import im.parley.eventing.Actor;
import im.parley.eventing.connection.ConnectionClosed;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.util.AttributeKey;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

/**
 * An authenticated connection: who is on it, and the little each handler keeps per connection, in one object on
 * the channel (the handlers themselves are shared). Only the connection's event loop touches it, except
 * {@link #inFlight}, which the broker's answers count down. It also decides what quiet means once authenticated.
 */
final class Session implements Quiet {

    static final AttributeKey<Session> KEY = AttributeKey.valueOf("parley.session");
    private static final AtomicIntegerFieldUpdater<Session> IN_FLIGHT =
            AtomicIntegerFieldUpdater.newUpdater(Session.class, "inFlight");

    final Channel channel;
    final Node node;
    final Principal principal;
    final Actor actor;
    final long connectedAtNanos = System.nanoTime();
    final TokenBucket bucket;
    /** Frames refused in a row by the rate limit. */
    int limitedInARow;
    /** Frames handed to the broker and not yet answered. */
    private volatile int inFlight;
    /** Reading stopped because too many frames are in flight. */
    boolean paused;

    Session(Channel channel, Node node, Principal principal) {
        this.channel = channel;
        this.node = node;
        this.principal = principal;
        this.actor = new Actor(principal.userId(), principal.deviceId(), node.nodeId());
        this.bucket = new TokenBucket(node.settings().ratePerSecond(), node.settings().rateBurst(), connectedAtNanos);
    }

    static Session of(Channel channel) {
        return channel.attr(KEY).get();
    }

    int sent() {
        return IN_FLIGHT.incrementAndGet(this);
    }

    int answered() {
        return IN_FLIGHT.decrementAndGet(this);
    }

    /** Checked on every frame and every quiet interval, so no timer per connection is needed for it. */
    boolean expired() {
        if (System.currentTimeMillis() < principal.expiresAtMillis()) {
            return false;
        }
        Disconnect.close(channel, ConnectionClosed.Reason.AUTH_EXPIRED, CloseCodes.UNAUTHORIZED, "token expired");
        return true;
    }

    /** Nothing read for whole ping intervals: ping, and close once the quiet has lasted the idle timeout. */
    @Override
    public void onQuiet(int intervals) {
        if (Disconnect.closing(channel) || expired()) {
            return;
        }
        if (intervals * node.settings().pingInterval().toMillis() >= node.settings().idleTimeout().toMillis()) {
            Disconnect.close(channel, ConnectionClosed.Reason.IDLE_TIMEOUT, CloseCodes.IDLE_TIMEOUT, "idle timeout");
        } else {
            channel.writeAndFlush(new PingWebSocketFrame(), channel.voidPromise());
        }
    }
}
