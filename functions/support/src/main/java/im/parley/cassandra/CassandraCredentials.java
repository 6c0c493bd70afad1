package im.parley.cassandra;

import im.parley.trust.CertificateAuthorities;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.function.BinaryOperator;
import javax.net.ssl.SSLContext;

/**
 * How a function logs in to Cassandra in production: a role with a password (PasswordAuthenticator), over TLS to
 * nodes whose certificates the CA signed. Either part may be absent in development.
 *
 * @param caCert path of the PEM CA certificate; null for plain connections
 */
public record CassandraCredentials(String username, String password, String caCert) {

    public static final CassandraCredentials NONE = new CassandraCredentials(null, null, null);

    public CassandraCredentials {
        if ((username == null) != (password == null)) {
            throw new IllegalArgumentException("set both PARLEY_CASSANDRA_USERNAME and PARLEY_CASSANDRA_PASSWORD, or neither");
        }
    }

    /** {@code PARLEY_CASSANDRA_USERNAME}, {@code PARLEY_CASSANDRA_PASSWORD}, {@code PARLEY_CASSANDRA_CA_CERT}. */
    public static CassandraCredentials fromEnvironment(BinaryOperator<String> property) {
        return new CassandraCredentials(property.apply("PARLEY_CASSANDRA_USERNAME", null),
                property.apply("PARLEY_CASSANDRA_PASSWORD", null), property.apply("PARLEY_CASSANDRA_CA_CERT", null));
    }

    boolean authenticates() {
        return username != null;
    }

    /** A TLS context that trusts the CA only, or null without one. */
    SSLContext tls() {
        if (caCert == null) {
            return null;
        }
        try {
            return CertificateAuthorities.trusting(Path.of(caCert));
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot read the Cassandra CA certificate " + caCert + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "CassandraCredentials[" + (username == null ? "none" : username) + (caCert == null ? "" : ", TLS") + "]";
    }
}
