package im.parley.functions.handlers;

import im.parley.eventing.EventType;

/**
 * What a handler sends on: one event of a catalog type, which keeps the cause's actor and trace, or nothing.
 *
 * @param type null for none
 */
public record Reply<R>(EventType<R> type, R data) {

    private static final Reply<Void> NONE = new Reply<>(null, null);

    public Reply {
        if ((type == null) != (data == null)) {
            throw new IllegalArgumentException("a reply has both a type and its data, or neither");
        }
    }

    public static <R> Reply<R> of(EventType<R> type, R data) {
        return new Reply<>(java.util.Objects.requireNonNull(type, "type"), java.util.Objects.requireNonNull(data, "data"));
    }

    public static Reply<Void> none() {
        return NONE;
    }

    public boolean isNone() {
        return type == null;
    }
}
