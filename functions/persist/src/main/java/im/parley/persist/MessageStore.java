package im.parley.persist;

import im.parley.eventing.message.Message;

/** Where messages live, once per conversation. Storing the same message again changes nothing. */
public interface MessageStore {

    void store(Message message);
}
