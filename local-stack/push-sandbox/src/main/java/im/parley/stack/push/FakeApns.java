package im.parley.stack.push;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jwt.SignedJWT;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.PfxOptions;
import java.net.URI;
import java.security.interfaces.ECPublicKey;
import java.text.ParseException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * APNs as a provider sees it: HTTP/2 over TLS, {@code POST /3/device/<token>} with an ES256 provider token signed by
 * the team's key, {@code apns-topic} required. Answers are scripted per device token, with APNs' own reasons.
 */
public final class FakeApns implements AutoCloseable {

    private final HttpServer server;
    private final Script script = new Script();
    private final SandboxCredentials credentials;

    private FakeApns(HttpServer server, SandboxCredentials credentials) {
        this.server = server;
        this.credentials = credentials;
    }

    static FakeApns start(Vertx vertx, SelfSignedTls tls, SandboxCredentials credentials) throws Exception {
        HttpServer server = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0)
                .setSsl(true).setUseAlpn(true).setKeyCertOptions(new PfxOptions().setPath(tls.keyStore().toString())
                        .setPassword(tls.password())));
        FakeApns apns = new FakeApns(server, credentials);
        server.requestHandler(apns::handle);
        server.listen().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        return apns;
    }

    public URI url() {
        return URI.create("https://localhost:" + server.actualPort());
    }

    /** The next answers for this device token, in order; 200 after they run out. */
    public void script(String token, Reply... replies) {
        script.script(token, replies);
    }

    public List<Delivery> deliveries() {
        return script.deliveries();
    }

    private void handle(HttpServerRequest request) {
        request.body().onSuccess(body -> {
            long at = System.nanoTime();
            String path = request.path();
            if (request.method().name().equals("POST") && path.startsWith("/3/device/")) {
                String token = path.substring("/3/device/".length());
                Map<String, String> headers = new LinkedHashMap<>();
                for (String name : List.of("apns-topic", "apns-push-type", "apns-collapse-id", "apns-priority", "apns-id")) {
                    if (request.getHeader(name) != null) {
                        headers.put(name, request.getHeader(name));
                    }
                }
                Reply reply;
                if (!authorized(request.getHeader("authorization"))) {
                    reply = Reply.of(403);
                } else if (request.getHeader("apns-topic") == null) {
                    reply = Reply.of(400);
                } else {
                    reply = script.next(token);
                }
                script.record(new Delivery(token, request.version().alpnName(), headers, body.toString(), reply.status(), at));
                answer(request, reply, headers.containsKey("apns-topic"));
            } else {
                request.response().setStatusCode(404).end("{\"reason\":\"BadPath\"}");
            }
        });
    }

    private boolean authorized(String header) {
        if (header == null || !header.regionMatches(true, 0, "bearer ", 0, 7)) {
            return false;
        }
        try {
            SignedJWT jwt = SignedJWT.parse(header.substring(7).trim());
            var claims = jwt.getJWTClaimsSet();
            return jwt.getHeader().getAlgorithm().equals(JWSAlgorithm.ES256)
                    && credentials.keyId().equals(jwt.getHeader().getKeyID())
                    && credentials.teamId().equals(claims.getIssuer())
                    && claims.getIssueTime() != null
                    && claims.getIssueTime().toInstant().isAfter(Instant.now().minusSeconds(3600))
                    && jwt.verify(new ECDSAVerifier(credentials.apnsPublicKey()));
        } catch (ParseException | JOSEException e) {
            return false;
        }
    }

    private static void answer(HttpServerRequest request, Reply reply, boolean hasTopic) {
        var response = request.response().setStatusCode(reply.status()).putHeader("apns-id", UUID.randomUUID().toString());
        if (reply.retryAfterSeconds() != null) {
            response.putHeader("retry-after", Long.toString(reply.retryAfterSeconds()));
        }
        String reason = switch (reply.status()) {
            case 200 -> null;
            case 400 -> hasTopic ? "BadDeviceToken" : "MissingTopic";
            case 403 -> "InvalidProviderToken";
            case 410 -> "Unregistered";
            case 429 -> "TooManyRequests";
            case 503 -> "ServiceUnavailable";
            default -> "InternalServerError";
        };
        if (reason == null) {
            response.end();
        } else if (reply.status() == 410) {
            response.putHeader("content-type", "application/json")
                    .end("{\"reason\":\"Unregistered\",\"timestamp\":" + System.currentTimeMillis() + "}");
        } else {
            response.putHeader("content-type", "application/json").end("{\"reason\":\"" + reason + "\"}");
        }
    }

    @Override
    public void close() {
        server.close().toCompletionStage().toCompletableFuture().orTimeout(10, TimeUnit.SECONDS).join();
    }
}
