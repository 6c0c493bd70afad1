package im.parley.eventing.message;

/** What a client sent. The sender is not here: it comes from the authenticated session (the actor extensions). */
public record MessageSent(String conversationId, String clientMsgId, ContentType contentType, String content) {
}
