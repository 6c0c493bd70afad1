package im.parley.sync;

import im.parley.eventing.message.Message;

class InMemoryHistoryTest extends HistoryContract {

    final InMemoryHistory history = new InMemoryHistory();

    @Override
    History history() {
        return history;
    }

    @Override
    void stored(Message message) {
        history.stored(message);
    }

    @Override
    void joined(String userId, String conversationId) {
        history.joined(userId, conversationId);
    }

    @Override
    void marks(String conversationId, String userId, long read, long delivered) {
        history.marks(conversationId, userId, read, delivered);
    }
}
