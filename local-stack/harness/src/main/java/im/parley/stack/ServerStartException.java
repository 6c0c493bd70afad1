package im.parley.stack;

/** A server did not become ready. The message names it and ends with the tail of its log. */
public class ServerStartException extends RuntimeException {

    public ServerStartException(String server, String reason, String logTail) {
        super(server + " did not start: " + reason + (logTail.isBlank() ? "" : "\n--- last lines of its log ---\n" + logTail));
    }

    public ServerStartException(String server, String reason, Throwable cause) {
        super(server + " did not start: " + reason, cause);
    }
}
