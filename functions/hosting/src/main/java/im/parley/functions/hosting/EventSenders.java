package im.parley.functions.hosting;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import java.net.MalformedURLException;
import java.net.URI;
import java.text.ParseException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who may POST events to a function: only the broker's dispatcher. With Knative Eventing's sender identity (the
 * {@code authentication-oidc} feature) the dispatcher presents a token issued to its Trigger's service account for
 * this function's audience; the function checks the signature against the issuer's keys (JWKS), the issuer, the
 * audience, the times (30 s of skew) and the subject. The local runtime issues its tokens the same way, so the
 * local stack and the tests run this very check.
 *
 * <p>Settings: {@code PARLEY_EVENT_AUDIENCE} (this function's audience, as its Triggers name it),
 * {@code PARLEY_EVENT_ISSUER}, {@code PARLEY_EVENT_JWKS} (by default {@code <issuer>/openid/v1/jwks}),
 * {@code PARLEY_EVENT_SENDERS} (the subjects allowed, comma-separated, {@code *} matching any run of characters).
 * Without an audience a function does not start, unless {@code PARLEY_EVENT_AUTH=none} says to take any sender
 * (development only; it is logged at every start).
 */
public final class EventSenders {

    private static final Logger LOG = LoggerFactory.getLogger(EventSenders.class);
    static final Duration CLOCK_SKEW = Duration.ofSeconds(30);
    /** Verified tokens are remembered until they expire (the dispatcher reuses each for minutes); at most this many. */
    static final int REMEMBERED = 1024;

    /** Any sender: for development and for tests of other things, never in a deployment. */
    public static final EventSenders ANYONE = new EventSenders(null, List.of());

    private final DefaultJWTProcessor<SecurityContext> processor;
    private final List<Pattern> senders;
    private final Map<String, Long> verified = new ConcurrentHashMap<>();

    private EventSenders(DefaultJWTProcessor<SecurityContext> processor, List<Pattern> senders) {
        this.processor = processor;
        this.senders = senders;
    }

    /**
     * @param senders subjects allowed, with {@code *} wildcards; empty allows any subject the issuer vouches for
     */
    public static EventSenders verifying(String issuer, URI jwks, String audience, List<String> senders) {
        JWKSource<SecurityContext> keys;
        try {
            keys = JWKSourceBuilder.create(jwks.toURL()).retrying(true).build();
        } catch (MalformedURLException | IllegalArgumentException e) {
            throw new IllegalArgumentException("PARLEY_EVENT_JWKS is not a URL: " + jwks, e);
        }
        DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
        // The algorithm is pinned: an HS256 token signed with the public key, or an unsigned one, is refused.
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(Set.of(JWSAlgorithm.RS256, JWSAlgorithm.ES256), keys));
        DefaultJWTClaimsVerifier<SecurityContext> claims = new DefaultJWTClaimsVerifier<>(audience,
                new JWTClaimsSet.Builder().issuer(issuer).build(), Set.of("sub", "exp", "iat"));
        claims.setMaxClockSkew((int) CLOCK_SKEW.toSeconds());
        processor.setJWTClaimsSetVerifier(claims);
        return new EventSenders(processor, senders.stream().map(EventSenders::glob).toList());
    }

    /** From the function's settings; see the class comment. */
    public static EventSenders fromSettings(Map<String, ?> settings) {
        String audience = setting(settings, "PARLEY_EVENT_AUDIENCE");
        if (audience == null) {
            if ("none".equals(setting(settings, "PARLEY_EVENT_AUTH"))) {
                LOG.warn("PARLEY_EVENT_AUTH=none: this function takes events from anyone who can reach it");
                return ANYONE;
            }
            throw new IllegalStateException("PARLEY_EVENT_AUDIENCE is not set: a function takes events only from the "
                    + "broker's dispatcher (set PARLEY_EVENT_AUDIENCE and PARLEY_EVENT_ISSUER, or PARLEY_EVENT_AUTH=none"
                    + " for development)");
        }
        String issuer = setting(settings, "PARLEY_EVENT_ISSUER");
        if (issuer == null) {
            throw new IllegalStateException("PARLEY_EVENT_ISSUER is not set: whose tokens should be taken?");
        }
        String jwks = setting(settings, "PARLEY_EVENT_JWKS");
        String senders = setting(settings, "PARLEY_EVENT_SENDERS");
        return verifying(issuer, URI.create(jwks != null ? jwks : issuer.replaceFirst("/$", "") + "/openid/v1/jwks"),
                audience, senders == null ? List.of() : Arrays.stream(senders.split(",")).map(String::trim)
                        .filter(s -> !s.isEmpty()).toList());
    }

    private static String setting(Map<String, ?> settings, String name) {
        Object value = settings.get(name);
        return value == null || value.toString().isBlank() ? null : value.toString().trim();
    }

    private static Pattern glob(String subject) {
        StringBuilder regex = new StringBuilder();
        for (String part : subject.split("\\*", -1)) {
            if (!regex.isEmpty()) {
                regex.append(".*");
            }
            regex.append(Pattern.quote(part));
        }
        return Pattern.compile(regex.toString());
    }

    /** @return null when the request's {@code Authorization} header shows an allowed sender; else why not */
    public String refusal(String authorization) {
        if (processor == null) {
            return null;
        }
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return "no bearer token: only the broker's dispatcher may send events here";
        }
        String token = authorization.substring(7).trim();
        Long until = verified.get(token);
        if (until != null && System.currentTimeMillis() < until) {
            return null;
        }
        JWTClaimsSet claims;
        try {
            claims = processor.process(token, null);
        } catch (ParseException e) {
            return "token malformed";
        } catch (BadJOSEException | JOSEException e) {
            return "token rejected: " + e.getMessage();
        }
        String subject = claims.getSubject();
        if (!senders.isEmpty() && senders.stream().noneMatch(p -> p.matcher(subject).matches())) {
            return "sender " + subject + " may not send events here";
        }
        if (verified.size() >= REMEMBERED) {
            verified.clear();
        }
        verified.put(token, claims.getExpirationTime().getTime());
        return null;
    }
}
