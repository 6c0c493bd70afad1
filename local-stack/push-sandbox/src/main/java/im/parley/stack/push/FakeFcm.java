package im.parley.stack.push;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jwt.SignedJWT;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * FCM as a server sees it: an OAuth2 token endpoint taking a service account's RS256 JWT assertion
 * ({@code urn:ietf:params:oauth:grant-type:jwt-bearer}), and {@code POST /v1/projects/<id>/messages:send} with the
 * access token. Answers are scripted per device token, with FCM's own error codes.
 */
public final class FakeFcm implements AutoCloseable {

    static final String SCOPE = "https://www.googleapis.com/auth/firebase.messaging";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final Script script = new Script();
    private final Set<String> accessTokens = ConcurrentHashMap.newKeySet();
    private final AtomicInteger tokenGrants = new AtomicInteger();
    private volatile SandboxCredentials credentials;

    private FakeFcm(HttpServer server) {
        this.server = server;
    }

    static FakeFcm start(Vertx vertx) throws Exception {
        HttpServer server = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0));
        FakeFcm fcm = new FakeFcm(server);
        server.requestHandler(fcm::handle);
        server.listen().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        return fcm;
    }

    void trust(SandboxCredentials credentials) {
        this.credentials = credentials;
    }

    public URI url() {
        return URI.create("http://127.0.0.1:" + server.actualPort());
    }

    public URI tokenUri() {
        return url().resolve("/token");
    }

    /** The next answers for this registration token, in order; 200 after they run out. */
    public void script(String token, Reply... replies) {
        script.script(token, replies);
    }

    public List<Delivery> deliveries() {
        return script.deliveries();
    }

    /** Every access token granted so far stops working, as when Google revokes them: sends get 401. */
    public void revokeAccessTokens() {
        accessTokens.clear();
    }

    /** How many access tokens were granted. */
    public int tokenGrants() {
        return tokenGrants.get();
    }

    private void handle(HttpServerRequest request) {
        request.body().onSuccess(body -> {
            long at = System.nanoTime();
            String path = request.path();
            if (path.equals("/token")) {
                grant(request, body.toString());
            } else if (path.equals("/v1/projects/" + credentials.projectId() + "/messages:send")) {
                send(request, body.toString(), at);
            } else {
                error(request, 404, "NOT_FOUND", null, null);
            }
        });
    }

    private void grant(HttpServerRequest request, String form) {
        Map<String, String> fields = new HashMap<>();
        for (String pair : form.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                fields.put(pair.substring(0, eq), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        if (!"urn:ietf:params:oauth:grant-type:jwt-bearer".equals(fields.get("grant_type")) || !valid(fields.get("assertion"))) {
            request.response().setStatusCode(400).putHeader("content-type", "application/json")
                    .end("{\"error\":\"invalid_grant\",\"error_description\":\"Invalid JWT Signature.\"}");
            return;
        }
        String token = "ya29.sandbox-" + UUID.randomUUID();
        accessTokens.add(token);
        tokenGrants.incrementAndGet();
        request.response().putHeader("content-type", "application/json")
                .end("{\"access_token\":\"" + token + "\",\"expires_in\":3599,\"token_type\":\"Bearer\"}");
    }

    private boolean valid(String assertion) {
        try {
            SignedJWT jwt = SignedJWT.parse(assertion);
            var claims = jwt.getJWTClaimsSet();
            return jwt.getHeader().getAlgorithm().equals(JWSAlgorithm.RS256)
                    && credentials.clientEmail().equals(claims.getIssuer())
                    && claims.getAudience().contains(tokenUri().toString())
                    && String.valueOf(claims.getClaim("scope")).contains(SCOPE)
                    && claims.getExpirationTime() != null && claims.getExpirationTime().getTime() > System.currentTimeMillis()
                    && jwt.verify(new RSASSAVerifier(credentials.fcmPublicKey()));
        } catch (ParseException | JOSEException | RuntimeException e) {
            return false;
        }
    }

    private void send(HttpServerRequest request, String body, long at) {
        String auth = request.getHeader("authorization");
        String token;
        try {
            token = JSON.readTree(body).path("message").path("token").asText();
        } catch (IOException e) {
            error(request, 400, "INVALID_ARGUMENT", null, null);
            return;
        }
        Reply reply;
        if (auth == null || !auth.startsWith("Bearer ") || !accessTokens.contains(auth.substring(7))) {
            reply = Reply.of(401);
        } else if (token.isEmpty()) {
            reply = Reply.of(400);
        } else {
            reply = script.next(token);
        }
        Map<String, String> headers = new HashMap<>();
        script.record(new Delivery(token, request.version().alpnName(), headers, body, reply.status(), at));
        switch (reply.status()) {
            case 200 -> request.response().putHeader("content-type", "application/json")
                    .end("{\"name\":\"projects/" + credentials.projectId() + "/messages/" + UUID.randomUUID() + "\"}");
            case 401 -> error(request, 401, "UNAUTHENTICATED", null, null);
            case 400 -> error(request, 400, "INVALID_ARGUMENT", "INVALID_ARGUMENT", null);
            case 404 -> error(request, 404, "NOT_FOUND", "UNREGISTERED", null);
            case 429 -> error(request, 429, "RESOURCE_EXHAUSTED", "QUOTA_EXCEEDED", reply.retryAfterSeconds());
            case 503 -> error(request, 503, "UNAVAILABLE", "UNAVAILABLE", reply.retryAfterSeconds());
            default -> error(request, reply.status(), "INTERNAL", "INTERNAL", reply.retryAfterSeconds());
        }
    }

    private static void error(HttpServerRequest request, int status, String grpcStatus, String fcmCode, Long retryAfter) {
        var response = request.response().setStatusCode(status).putHeader("content-type", "application/json");
        if (retryAfter != null) {
            response.putHeader("retry-after", Long.toString(retryAfter));
        }
        String details = fcmCode == null ? "" : ",\"details\":[{\"@type\":\"type.googleapis.com/google.firebase.fcm.v1.FcmError\","
                + "\"errorCode\":\"" + fcmCode + "\"}]";
        response.end("{\"error\":{\"code\":" + status + ",\"message\":\"" + grpcStatus.toLowerCase() + "\",\"status\":\""
                + grpcStatus + "\"" + details + "}}");
    }

    @Override
    public void close() {
        server.close().toCompletionStage().toCompletableFuture().orTimeout(10, TimeUnit.SECONDS).join();
    }
}
