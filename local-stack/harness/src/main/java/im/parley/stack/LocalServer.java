package im.parley.stack;

import java.nio.file.Path;

/** A real server the harness runs on 127.0.0.1. */
public interface LocalServer extends AutoCloseable {

    String name();

    /** Starts and blocks until the server really answers; throws {@link ServerStartException} otherwise. */
    void start();

    /** Graceful stop (SIGTERM); the data directory is kept, so start() brings the same data back. */
    void stop();

    /** SIGKILL, as a crash would. */
    void kill();

    boolean isRunning();

    /** The server's process id, or -1 when it is not running. */
    long pid();

    Path dataDir();

    Path logFile();

    /** Stops the server, and deletes the data directory if it was a temporary one. */
    @Override
    void close();
}
