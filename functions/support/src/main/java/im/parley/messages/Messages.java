package im.parley.messages;

import im.parley.eventing.message.Message;
import java.util.Optional;

/** The messages persist stores, read one at a time by the functions that act on a message (edit and recall). */
public interface Messages {

    /** A message as it stands (latest edit, recalled), one point read; empty when there is none at that seq. */
    Optional<Message> find(String conversationId, long seq);
}
