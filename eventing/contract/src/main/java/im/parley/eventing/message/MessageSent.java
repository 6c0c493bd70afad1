package im.parley.eventing.message;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * What a client sent. The sender is not here: it comes from the authenticated session (the actor extensions).
 *
 * @param resend true when the client sends this clientMsgId again (it had no ack): the seq it may already have is
 *               then looked up durably, however old the first attempt
 */
public record MessageSent(String conversationId, String clientMsgId, ContentType contentType, String content,
                          @JsonInclude(JsonInclude.Include.NON_NULL) Boolean resend) {

    public MessageSent(String conversationId, String clientMsgId, ContentType contentType, String content) {
        this(conversationId, clientMsgId, contentType, content, null);
    }

    @JsonIgnore
    public boolean isResend() {
        return Boolean.TRUE.equals(resend);
    }
}
