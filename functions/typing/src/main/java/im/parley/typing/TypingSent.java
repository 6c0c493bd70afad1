package im.parley.typing;

/** The data of {@code im.parley.typing.sent}, as {@code schemas/cloudevents/typing.sent.schema.json} defines it. */
public record TypingSent(String conversationId, State state) {

    /** Started while the user types (clients repeat it, since it expires), stopped when they stop or send. */
    public enum State {
        started, stopped
    }
}
