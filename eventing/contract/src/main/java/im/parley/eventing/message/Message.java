package im.parley.eventing.message;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/**
 * A sequenced message as stored once per conversation and delivered to members.
 *
 * @param refersTo for an edit or a recall, the seq of the message it amends
 * @param edited   the content is the latest edit's (history shows a message as it stands)
 * @param recalled the message was recalled: its content is gone
 */
public record Message(String conversationId, String clientMsgId, long serverSeq, DeviceRef sender,
                      ContentType contentType, String content, Instant sentAt,
                      @JsonInclude(JsonInclude.Include.NON_NULL) Long refersTo,
                      @JsonInclude(JsonInclude.Include.NON_NULL) Boolean edited,
                      @JsonInclude(JsonInclude.Include.NON_NULL) Boolean recalled) {

    public Message(String conversationId, String clientMsgId, long serverSeq, DeviceRef sender, ContentType contentType,
                   String content, Instant sentAt) {
        this(conversationId, clientMsgId, serverSeq, sender, contentType, content, sentAt, null, null, null);
    }

    @JsonIgnore
    public boolean isRecalled() {
        return Boolean.TRUE.equals(recalled);
    }
}
