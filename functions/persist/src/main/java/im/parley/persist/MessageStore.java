package im.parley.persist;

import im.parley.eventing.message.Message;

/** Where messages live, once per conversation. */
public interface MessageStore {

    /**
     * Stores a message and returns it as stored. A message whose clientMsgId was sequenced before ({@code again}:
     * a redelivery, or a client's resend) may have been stored by an earlier attempt, perhaps with other content:
     * the first stored stays, and is returned. Storing also moves the sender's read watermark to the message.
     */
    Message store(Message message, boolean again);
}
