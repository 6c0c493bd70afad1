package im.parley.typing;

/** The {@code typing} frame's data, as typing.frame.schema.json defines it. */
public record Typing(String conversationId, String userId, TypingSent.State state, long expiresInMs) {
}
