package im.parley.messages;

import im.parley.eventing.message.Message;

class InMemoryMessagesTest extends MessagesContract {

    final InMemoryMessages messages = new InMemoryMessages();

    @Override
    protected Messages messages() {
        return messages;
    }

    @Override
    protected void store(Message message) {
        messages.put(message);
    }
}
