package im.parley.connection.auth;

/** A connection attempt that is refused; the reason is sent to the client in the close frame. */
public class AuthenticationException extends Exception {

    public AuthenticationException(String reason) {
        super(reason);
    }
}
