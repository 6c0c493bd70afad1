package im.parley.eventing.message;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * An edit or recall the amend function allowed; the actor is the user who asked. It is sequenced, stored and
 * delivered as a message of kind {@link ContentType#EDIT} or {@link ContentType#RECALL} referring to {@code refersTo}.
 */
public record MessageAmended(String conversationId, String clientMsgId, long refersTo, Kind kind,
                             @JsonInclude(JsonInclude.Include.NON_NULL) String content) {

    public enum Kind {
        @JsonProperty("edit") EDIT(ContentType.EDIT),
        @JsonProperty("recall") RECALL(ContentType.RECALL);

        private final ContentType contentType;

        Kind(ContentType contentType) {
            this.contentType = contentType;
        }

        public ContentType contentType() {
            return contentType;
        }
    }
}
