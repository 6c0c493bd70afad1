package im.parley.connection.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.ImmutableSecret;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import java.net.MalformedURLException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks a JWT: HS256 with a shared secret for development, RS256 against a JWKS URL in production.
 * The user is the {@code sub} claim; the device is the {@code did} claim when the token has one.
 */
public final class TokenVerifier {

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@-]{0,127}");

    private final DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();

    private TokenVerifier(JWSAlgorithm algorithm, JWKSource<SecurityContext> keys, String issuer) {
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(algorithm, keys));
        JWTClaimsSet exact = issuer == null ? new JWTClaimsSet.Builder().build()
                : new JWTClaimsSet.Builder().issuer(issuer).build();
        processor.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>(exact, Set.of("sub", "exp")));
    }

    public static TokenVerifier hs256(String secret, String issuer) {
        return new TokenVerifier(JWSAlgorithm.HS256,
                new ImmutableSecret<>(secret.getBytes(StandardCharsets.UTF_8)), issuer);
    }

    public static TokenVerifier rs256(String jwksUrl, String issuer) {
        try {
            return new TokenVerifier(JWSAlgorithm.RS256,
                    JWKSourceBuilder.create(URI.create(jwksUrl).toURL()).retrying(true).build(), issuer);
        } catch (MalformedURLException e) {
            throw new IllegalArgumentException("bad JWKS URL " + jwksUrl, e);
        }
    }

    /**
     * @param token  the compact JWT, or null when the client sent none
     * @param device the device the client names, used when the token does not pin one
     */
    public Principal verify(String token, String device) throws AuthenticationException {
        if (token == null || token.isBlank()) {
            throw new AuthenticationException("token missing");
        }
        JWTClaimsSet claims;
        try {
            claims = processor.process(token, null);
        } catch (BadJWTException e) {
            String message = String.valueOf(e.getMessage());
            throw new AuthenticationException(message.contains("Expired") ? "token expired" : "token rejected: " + message);
        } catch (ParseException e) {
            throw new AuthenticationException("token malformed");
        } catch (BadJOSEException | JOSEException e) {
            throw new AuthenticationException("token invalid: " + e.getMessage());
        }
        String user = claims.getSubject();
        Object pinned = claims.getClaim("did");
        String deviceId = pinned != null ? pinned.toString() : device;
        if (user == null || !ID.matcher(user).matches()) {
            throw new AuthenticationException("token subject is not a valid user id");
        }
        if (deviceId == null || !ID.matcher(deviceId).matches()) {
            throw new AuthenticationException("device missing or invalid: pass ?device=<id> or a did claim");
        }
        return new Principal(user, deviceId, claims.getExpirationTime().getTime());
    }
}
