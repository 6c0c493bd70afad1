package im.parley.functions.handlers;

import im.parley.eventing.Actor;
import im.parley.eventing.EventType;
import im.parley.eventing.InvalidEventException;
import java.time.Instant;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** What a handler knows of its event beside the data, and how it sends events of its own. */
public final class Context {

    /** Publishes an event caused by this one. */
    interface Emitter {
        <R> CompletionStage<Void> emit(EventType<R> type, R data);
    }

    private final String eventId;
    private final Instant time;
    private final Actor actor;
    private final Emitter emitter;

    Context(String eventId, Instant time, Actor actor, Emitter emitter) {
        this.eventId = eventId;
        this.time = time;
        this.actor = actor;
        this.emitter = emitter;
    }

    /** The same on every redelivery of the event: a key for writes that must happen once. */
    public String eventId() {
        return eventId;
    }

    /** When the event was made (for a client's event, when the tier took the frame); null if it says not. */
    public Instant time() {
        return time;
    }

    /** The authenticated user, device and node whose frame caused the event; null for an event no client caused. */
    public Actor actor() {
        return actor;
    }

    /** The actor, for a type only clients cause. */
    public Actor requireActor() {
        if (actor == null) {
            throw new InvalidEventException("event " + eventId + " names no actor");
        }
        return actor;
    }

    /**
     * Sends an event to the broker beside the reply, keeping this event's actor and trace: one that other functions
     * need and that is not this function's answer (a push request beside a delivery, say).
     *
     * @return completes once the broker has it
     */
    public <R> CompletionStage<Void> emit(EventType<R> type, R data) {
        return emitter.emit(type, data);
    }

    /**
     * {@link #emit}, waiting until the broker has it. Keep the timeout under the Trigger's attempt timeout: an event
     * not taken fails the attempt (an {@link IllegalStateException}, a 500), and the retry sends it.
     */
    public <R> void emitAndWait(EventType<R> type, R data, Duration timeout) {
        try {
            emit(type, data).toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted sending " + type.type(), e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException(type.type() + " not taken by the " + type.broker() + " broker: " + e, e);
        }
    }
}
