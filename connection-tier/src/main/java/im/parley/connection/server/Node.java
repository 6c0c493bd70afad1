package im.parley.connection.server;

import im.parley.connection.TierMetrics;
import im.parley.connection.TierSettings;
import im.parley.connection.auth.TokenVerifier;
import im.parley.connection.heartbeat.Heartbeats;
import im.parley.connection.ingress.Publisher;
import im.parley.connection.limits.UserRates;
import im.parley.connection.presence.PresenceRegistry;
import im.parley.connection.session.SessionRegistry;
import im.parley.eventing.connection.ConnectionClosed;
import io.netty.util.AttributeKey;
import java.net.URI;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** What every connection on this node shares. */
public record Node(String nodeId, URI source, TierSettings settings, TokenVerifier verifier, SessionRegistry sessions,
                   Publisher publisher, PresenceRegistry presence, TierMetrics metrics, Heartbeats heartbeats,
                   UserRates userRates, AtomicInteger inFlight) {

    /** Why the tier closed a socket; unset means the client closed it. */
    public static final AttributeKey<ConnectionClosed.Reason> CLOSE_REASON = AttributeKey.valueOf("parley.closeReason");

    /** Counts the stage until it completes, so a drain can wait for presence and close events to land. */
    public <T> CompletionStage<T> track(CompletionStage<T> stage) {
        inFlight.incrementAndGet();
        return stage.whenComplete((v, e) -> inFlight.decrementAndGet());
    }

    public boolean awaitQuiet(long timeout, TimeUnit unit) throws InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        while (inFlight.get() > 0) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(10);
        }
        return true;
    }
}
