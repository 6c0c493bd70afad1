package im.parley.push;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import im.parley.eventing.EventJson;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.CompletableFuture;

/**
 * FCM's HTTP v1 API. The access token comes from the service account's OAuth2 token endpoint, for an RS256 JWT
 * assertion with the firebase.messaging scope, and is reused until a minute before it expires (or until a 401).
 * Notifications of one conversation share a collapse key and tag.
 */
public final class FcmGateway implements Gateway {

    static final String SCOPE = "https://www.googleapis.com/auth/firebase.messaging";

    /** The fields of a service-account JSON file that matter here. */
    public record ServiceAccount(String projectId, String clientEmail, PrivateKey key, URI tokenUri) {

        public static ServiceAccount read(Path file) throws IOException, GeneralSecurityException {
            JsonNode json = EventJson.MAPPER.readTree(Files.readString(file));
            return new ServiceAccount(json.path("project_id").asText(), json.path("client_email").asText(),
                    Pem.privateKey(json.path("private_key").asText(), "RSA"),
                    URI.create(json.path("token_uri").asText("https://oauth2.googleapis.com/token")));
        }
    }

    private record AccessToken(String value, Instant expires) {
    }

    private final HttpClient client;
    private final URI base;
    private final ServiceAccount account;
    private final RSASSASigner signer;
    private final Clock clock;
    private volatile CompletableFuture<AccessToken> token;

    public FcmGateway(HttpClient client, URI base, ServiceAccount account, Clock clock) {
        this.client = client;
        this.base = base;
        this.account = account;
        this.signer = new RSASSASigner(account.key());
        this.clock = clock;
    }

    @Override
    public CompletableFuture<Attempt> send(Notification n) {
        return accessToken().thenCompose(access -> client.sendAsync(request(n, access.value()), HttpResponse.BodyHandlers.ofString())
                        .thenApply(response -> verdict(response, access)))
                .exceptionally(e -> Attempt.networkError(new IOException(e)));
    }

    private HttpRequest request(Notification n, String accessToken) {
        ObjectNode body = EventJson.MAPPER.createObjectNode();
        ObjectNode message = body.putObject("message").put("token", n.token());
        message.putObject("notification").put("title", n.title()).put("body", n.body());
        ObjectNode android = message.putObject("android").put("collapse_key", n.conversationId()).put("priority", "HIGH");
        android.putObject("notification").put("tag", n.conversationId());
        message.putObject("data").put("conversationId", n.conversationId())
                .put("serverSeq", Long.toString(n.serverSeq())).put("count", Integer.toString(n.count()));
        return HttpRequest.newBuilder(base.resolve("/v1/projects/" + account.projectId() + "/messages:send"))
                .timeout(Duration.ofSeconds(5))
                .header("authorization", "Bearer " + accessToken)
                .header("content-type", "application/json; UTF-8")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                .build();
    }

    private Attempt verdict(HttpResponse<String> response, AccessToken used) {
        int status = response.statusCode();
        String code = errorCode(response.body());
        Duration retryAfter = Attempt.retryAfter(response);
        if (status == 200) {
            return new Attempt(Attempt.Verdict.DELIVERED, status, null, null);
        }
        if ("UNREGISTERED".equals(code) || (status == 404 && code == null)) {
            return new Attempt(Attempt.Verdict.TOKEN_INVALID, status, null, code);
        }
        if (status == 401) {
            forget(used);
            return new Attempt(Attempt.Verdict.RETRY, status, null, "UNAUTHENTICATED");
        }
        if (status == 429 || status >= 500) {
            return new Attempt(Attempt.Verdict.RETRY, status, retryAfter, code);
        }
        return new Attempt(Attempt.Verdict.REJECTED, status, null, code);
    }

    private synchronized void forget(AccessToken used) {
        if (token != null && token.isDone() && !token.isCompletedExceptionally() && token.join() == used) {
            token = null;
        }
    }

    /** One token request at a time; everyone waits for it. */
    private synchronized CompletableFuture<AccessToken> accessToken() {
        CompletableFuture<AccessToken> current = token;
        if (current != null && (!current.isDone()
                || (!current.isCompletedExceptionally() && clock.instant().isBefore(current.join().expires())))) {
            return current;
        }
        CompletableFuture<AccessToken> fresh;
        try {
            fresh = fetchToken();
        } catch (JOSEException e) {
            fresh = CompletableFuture.failedFuture(e);
        }
        token = fresh;
        return fresh;
    }

    private CompletableFuture<AccessToken> fetchToken() throws JOSEException {
        Instant now = clock.instant();
        SignedJWT assertion = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).build(), new JWTClaimsSet.Builder()
                .issuer(account.clientEmail()).claim("scope", SCOPE).audience(account.tokenUri().toString())
                .issueTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(3600))).build());
        assertion.sign(signer);
        String form = "grant_type=" + URLEncoder.encode("urn:ietf:params:oauth:grant-type:jwt-bearer", StandardCharsets.UTF_8)
                + "&assertion=" + assertion.serialize();
        HttpRequest request = HttpRequest.newBuilder(account.tokenUri()).timeout(Duration.ofSeconds(5))
                .header("content-type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build();
        return client.sendAsync(request, HttpResponse.BodyHandlers.ofString()).thenApply(response -> {
            if (response.statusCode() != 200) {
                throw new IllegalStateException("FCM token endpoint answered " + response.statusCode() + ": " + response.body());
            }
            try {
                JsonNode json = EventJson.MAPPER.readTree(response.body());
                return new AccessToken(json.path("access_token").asText(),
                        now.plusSeconds(json.path("expires_in").asLong(3600)).minusSeconds(60));
            } catch (IOException e) {
                throw new IllegalStateException("unreadable token response", e);
            }
        });
    }

    private static String errorCode(String body) {
        if (body == null || body.isBlank()) {
            return null;
        }
        try {
            for (JsonNode detail : EventJson.MAPPER.readTree(body).path("error").path("details")) {
                if (detail.path("errorCode").isTextual()) {
                    return detail.path("errorCode").asText();
                }
            }
        } catch (IOException e) {
            return null;
        }
        return null;
    }
}
