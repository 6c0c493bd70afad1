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
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks a JWT: HS256 with a shared secret for development, RS256 against a JWKS URL in production. One algorithm
 * per verifier, so an unsigned token or one signed with another algorithm (an HS256 token keyed with the RS256
 * public key) is refused. {@code exp} and {@code nbf} hold with {@value #CLOCK_SKEW_SECONDS} s of clock skew;
 * {@code iss} and {@code aud} when configured, and production requires an audience. The user is the {@code sub}
 * claim. The device is the {@code did} claim; in development a token without one may name its device in the query
 * string, in production it must carry it.
 */
public final class TokenVerifier {

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@-]{0,127}");
    static final int CLOCK_SKEW_SECONDS = 30;

    private final DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
    private final boolean deviceFromTokenOnly;

    TokenVerifier(JWSAlgorithm algorithm, JWKSource<SecurityContext> keys, String issuer, String audience,
                  boolean deviceFromTokenOnly) {
        this.deviceFromTokenOnly = deviceFromTokenOnly;
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(algorithm, keys));
        JWTClaimsSet.Builder exact = new JWTClaimsSet.Builder();
        if (issuer != null) {
            exact.issuer(issuer);
        }
        Set<String> required = deviceFromTokenOnly ? Set.of("sub", "exp", "did") : Set.of("sub", "exp");
        DefaultJWTClaimsVerifier<SecurityContext> claims = new DefaultJWTClaimsVerifier<>(audience, exact.build(), required);
        claims.setMaxClockSkew(CLOCK_SKEW_SECONDS);
        processor.setJWTClaimsSetVerifier(claims);
    }

    /** Development: the audience is checked only when given, and a token may leave its device to the query string. */
    public static TokenVerifier hs256(String secret, String issuer, String audience) {
        return new TokenVerifier(JWSAlgorithm.HS256,
                new ImmutableSecret<>(secret.getBytes(StandardCharsets.UTF_8)), issuer, audience, false);
    }

    public static TokenVerifier hs256(String secret, String issuer) {
        return hs256(secret, issuer, null);
    }

    /**
     * Production: keys from an {@code https:} JWKS URL (plain HTTP only on a loopback address), an audience, and the
     * device from the token.
     */
    public static TokenVerifier rs256(String jwksUrl, String issuer, String audience) {
        return new TokenVerifier(JWSAlgorithm.RS256, JWKSourceBuilder.create(jwks(jwksUrl)).retrying(true).build(),
                issuer, requireAudience(audience), true);
    }

    static String requireAudience(String audience) {
        if (audience == null || audience.isBlank()) {
            throw new IllegalArgumentException("RS256 tokens need an audience: set PARLEY_JWT_AUDIENCE");
        }
        return audience;
    }

    static URL jwks(String url) {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("bad JWKS URL " + url, e);
        }
        String host = uri.getHost() == null ? "" : uri.getHost();
        boolean loopback = host.equals("localhost") || host.startsWith("127.") || host.equals("[::1]");
        if (!"https".equals(uri.getScheme()) && !("http".equals(uri.getScheme()) && loopback)) {
            throw new IllegalArgumentException("the JWKS URL must be https: (plain http only on a loopback address): " + url);
        }
        try {
            return uri.toURL();
        } catch (MalformedURLException e) {
            throw new IllegalArgumentException("bad JWKS URL " + url, e);
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
            throw new AuthenticationException(message.contains("Expired") ? "token expired"
                    : message.contains("before use time") ? "token not valid yet" : "token rejected: " + message);
        } catch (ParseException e) {
            throw new AuthenticationException("token malformed");
        } catch (BadJOSEException | JOSEException e) {
            throw new AuthenticationException("token invalid: " + e.getMessage());
        }
        String user = claims.getSubject();
        Object pinned = claims.getClaim("did");
        if (deviceFromTokenOnly && device != null && pinned != null && !device.equals(pinned.toString())) {
            throw new AuthenticationException("device " + device + " is not the token's (did " + pinned + ")");
        }
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
