package im.parley.push;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import im.parley.eventing.EventJson;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.ECPrivateKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;

/**
 * APNs over HTTP/2 with a provider token: an ES256 JWT naming the team and key, reused for 50 minutes (Apple
 * refuses tokens older than an hour and throttles ones renewed more often than every 20 minutes). Notifications of
 * one conversation share {@code apns-collapse-id}, so the device shows the latest one only.
 */
public final class ApnsGateway implements Gateway {

    private static final Duration TOKEN_LIFE = Duration.ofMinutes(50);

    private final HttpClient client;
    private final URI base;
    private final String teamId;
    private final String keyId;
    private final ECDSASigner signer;
    private final String defaultTopic;
    private final Clock clock;
    private volatile String token;
    private volatile Instant tokenAt = Instant.EPOCH;

    public ApnsGateway(HttpClient client, URI base, String teamId, String keyId, ECPrivateKey key, String defaultTopic,
                       Clock clock) throws JOSEException {
        this.client = client;
        this.base = base;
        this.teamId = teamId;
        this.keyId = keyId;
        this.signer = new ECDSASigner(key);
        this.defaultTopic = defaultTopic;
        this.clock = clock;
    }

    @Override
    public CompletableFuture<Attempt> send(Notification n) {
        ObjectNode body = EventJson.MAPPER.createObjectNode();
        ObjectNode aps = body.putObject("aps");
        aps.putObject("alert").put("title", n.title()).put("body", n.body());
        aps.put("thread-id", n.conversationId()).put("sound", "default");
        body.put("conversationId", n.conversationId()).put("serverSeq", n.serverSeq()).put("count", n.count());
        HttpRequest request;
        try {
            request = HttpRequest.newBuilder(base.resolve("/3/device/" + n.token()))
                    .timeout(Duration.ofSeconds(5))
                    .header("authorization", "bearer " + providerToken())
                    .header("apns-topic", n.appId() == null || n.appId().isBlank() ? defaultTopic : n.appId())
                    .header("apns-push-type", "alert")
                    .header("apns-priority", "10")
                    .header("apns-collapse-id", collapseId(n.conversationId()))
                    .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                    .build();
        } catch (JOSEException | IllegalArgumentException e) {
            return CompletableFuture.completedFuture(new Attempt(Attempt.Verdict.REJECTED, 0, null, e.toString()));
        }
        return client.sendAsync(request, HttpResponse.BodyHandlers.ofString())
                .thenApply(this::verdict)
                .exceptionally(e -> Attempt.networkError(new IOException(e)));
    }

    private Attempt verdict(HttpResponse<String> response) {
        int status = response.statusCode();
        String reason = reason(response.body());
        Duration retryAfter = Attempt.retryAfter(response);
        if (status == 200) {
            return new Attempt(Attempt.Verdict.DELIVERED, status, null, null);
        }
        if (status == 410 || (status == 400 && ("BadDeviceToken".equals(reason) || "DeviceTokenNotForTopic".equals(reason)))) {
            return new Attempt(Attempt.Verdict.TOKEN_INVALID, status, null, reason);
        }
        if (status == 403 && reason != null && reason.endsWith("ProviderToken")) {
            tokenAt = Instant.EPOCH;
            return new Attempt(Attempt.Verdict.RETRY, status, retryAfter, reason);
        }
        if (status == 429 || status >= 500) {
            return new Attempt(Attempt.Verdict.RETRY, status, retryAfter, reason);
        }
        return new Attempt(Attempt.Verdict.REJECTED, status, null, reason);
    }

    private synchronized String providerToken() throws JOSEException {
        Instant now = clock.instant();
        if (token == null || now.isAfter(tokenAt.plus(TOKEN_LIFE))) {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(keyId).build(),
                    new JWTClaimsSet.Builder().issuer(teamId).issueTime(Date.from(now)).build());
            jwt.sign(signer);
            token = jwt.serialize();
            tokenAt = now;
        }
        return token;
    }

    /** At most 64 bytes, as APNs requires: a longer conversation id is replaced by its SHA-256. */
    static String collapseId(String conversationId) {
        if (conversationId.getBytes(StandardCharsets.UTF_8).length <= 64) {
            return conversationId;
        }
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(conversationId.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String reason(String body) {
        if (body == null || body.isBlank()) {
            return null;
        }
        try {
            JsonNode json = EventJson.MAPPER.readTree(body);
            return json.path("reason").isTextual() ? json.path("reason").asText() : null;
        } catch (IOException e) {
            return null;
        }
    }

}
