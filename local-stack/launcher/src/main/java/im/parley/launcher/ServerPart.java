package im.parley.launcher;

import im.parley.stack.LocalServer;
import java.util.List;
import java.util.function.Consumer;

/** A harness server, plus what must exist on it before anything uses it (topics, schema). */
record ServerPart(LocalServer server, Consumer<LocalServer> prepare, List<String> endpoints) implements Part {

    @Override
    public String name() {
        return server.name();
    }

    @Override
    public void start() {
        server.start();
        try {
            prepare.accept(server);
        } catch (RuntimeException e) {
            server.stop();
            throw new IllegalStateException(server.name() + " started but could not be prepared: " + e.getMessage(), e);
        }
    }

    @Override
    public void stop() {
        server.stop();
    }

    @Override
    public long pid() {
        return server.pid();
    }
}
