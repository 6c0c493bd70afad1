package im.parley.connection.heartbeat;

/** Told, on a connection's event loop, each time its quiet reaches one more whole ping interval. */
public interface Quiet {

    void onQuiet(int intervals);
}
