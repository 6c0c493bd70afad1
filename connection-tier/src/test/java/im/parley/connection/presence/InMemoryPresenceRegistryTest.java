package im.parley.connection.presence;

import java.util.Map;

class InMemoryPresenceRegistryTest extends PresenceRegistryContract {

    final InMemoryPresenceRegistry.Board board = new InMemoryPresenceRegistry.Board();
    final PresenceRegistry a = board.node("node-a");
    final PresenceRegistry b = board.node("node-b");

    @Override
    PresenceRegistry nodeA() {
        return a;
    }

    @Override
    PresenceRegistry nodeB() {
        return b;
    }

    @Override
    Map<String, String> live(String user) {
        return board.live(user);
    }
}
