package im.parley.eventing.runtime.identity;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The local stand-in for Knative Eventing's sender identity (the {@code authentication-oidc} feature). A Trigger
 * whose subscriber names an audience has its dispatcher present a token for that audience, issued to the
 * Trigger's own service account, as the Kubernetes TokenRequest API issues it. Here the runtime is the issuer:
 * an RS256 key made at start and published at {@code <issuer>/openid/v1/jwks}, where a cluster's service-account
 * issuer publishes its own. Functions check these tokens exactly as they check the cluster's.
 */
public final class SenderIdentity {

    static final Duration LIFETIME = Duration.ofMinutes(10);
    /** A token is replaced this long before it expires, as Knative's token cache does. */
    static final Duration RENEW_BEFORE = Duration.ofMinutes(2);
    public static final String JWKS_PATH = "/openid/v1/jwks";
    public static final String DISCOVERY_PATH = "/.well-known/openid-configuration";

    private record Token(String jwt, Instant renewAt) {
    }

    private final String issuer;
    private final RSAKey key;
    private final RSASSASigner signer;
    private final Clock clock;
    private final Map<String, Token> tokens = new ConcurrentHashMap<>();

    public SenderIdentity(String issuer, Clock clock) {
        this.issuer = issuer;
        this.clock = clock;
        try {
            this.key = new RSAKeyGenerator(2048).keyUse(KeyUse.SIGNATURE).keyID(UUID.randomUUID().toString())
                    .algorithm(JWSAlgorithm.RS256).generate();
            this.signer = new RSASSASigner(key);
        } catch (JOSEException e) {
            throw new IllegalStateException("no RSA key for the sender identity issuer", e);
        }
    }

    public String issuer() {
        return issuer;
    }

    /** The public key set, as JSON. */
    public String jwks() {
        return new JWKSet(key.toPublicJWK()).toString();
    }

    /** The OIDC discovery document: where the keys are. */
    public String discovery() {
        return "{\"issuer\":\"" + issuer + "\",\"jwks_uri\":\"" + issuer + JWKS_PATH + "\","
                + "\"id_token_signing_alg_values_supported\":[\"RS256\"]}";
    }

    /** The subject Kubernetes gives a Trigger's OIDC service account, as Knative names that account. */
    public static String subject(String namespace, String trigger) {
        return ("system:serviceaccount:" + namespace + ":" + trigger + "-oidc-eventing.knative.dev-trigger").toLowerCase(Locale.ROOT);
    }

    /** A token for the subject and audience, renewed before it expires. */
    public String token(String subject, String audience) {
        Instant now = clock.instant();
        return tokens.compute(subject + " " + audience, (k, held) ->
                held != null && now.isBefore(held.renewAt()) ? held : mint(subject, audience, now)).jwt();
    }

    private Token mint(String subject, String audience, Instant now) {
        JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(issuer).subject(subject).audience(audience)
                .issueTime(Date.from(now)).notBeforeTime(Date.from(now)).expirationTime(Date.from(now.plus(LIFETIME)))
                .jwtID(UUID.randomUUID().toString()).build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID())
                .type(JOSEObjectType.JWT).build(), claims);
        try {
            jwt.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException("token for " + subject + " not signed", e);
        }
        return new Token(jwt.serialize(), now.plus(LIFETIME).minus(RENEW_BEFORE));
    }
}
