package im.parley.messages;

import im.parley.eventing.message.Message;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Messages in memory, for unit tests; {@link MessagesContract} holds them to what Cassandra answers. */
public final class InMemoryMessages implements Messages {

    private final Map<String, Message> messages = new ConcurrentHashMap<>();

    /** Records a message as it stands. */
    public void put(Message message) {
        messages.put(message.conversationId() + "/" + message.serverSeq(), message);
    }

    @Override
    public Optional<Message> find(String conversationId, long seq) {
        return Optional.ofNullable(messages.get(conversationId + "/" + seq));
    }
}
