package im.parley.client;

/** A message or request the server refused: its code (docs/protocol.md lists them) and reason. */
public final class ParleyException extends RuntimeException {

    private final String code;

    public ParleyException(String code, String reason) {
        super(code + ": " + reason);
        this.code = code;
    }

    public String code() {
        return code;
    }
}
