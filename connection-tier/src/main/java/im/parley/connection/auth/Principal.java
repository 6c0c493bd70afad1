package im.parley.connection.auth;

import java.time.Instant;

/** Who is on a connection, as proven by the token. */
public record Principal(String userId, String deviceId, Instant expiresAt) {
}
