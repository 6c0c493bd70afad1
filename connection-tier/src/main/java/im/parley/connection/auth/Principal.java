package im.parley.connection.auth;

/** Who is on a connection, as proven by the token. */
public record Principal(String userId, String deviceId, long expiresAtMillis) {
}
