package im.parley.functions.handlers;

/**
 * A function's business code for one event type: the event's typed data and its {@link Context} (the actor whose
 * frame caused it, its id and time) in, what to send on out. It sees no CloudEvent: {@link Handlers} adapts it to
 * the broker's events.
 *
 * @param <T> the event's data
 */
@FunctionalInterface
public interface Handler<T> {

    /** @return the event to send on, or {@link Reply#none()} */
    Reply<?> handle(T data, Context context);
}
