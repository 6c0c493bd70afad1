package im.parley.connection;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import im.parley.connection.auth.DevTokens;
import im.parley.stack.KafkaServer;
import im.parley.stack.Ports;
import im.parley.stack.RedisServer;
import im.parley.stack.junit.LocalStack;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TLS, production RS256 tokens from a JWKS URL, and several nodes sharing one port. */
@LocalStack
class TransportAndAuthIT {

    @Test
    void servesWebSocketsOverTls(KafkaServer kafka, RedisServer redis, @TempDir Path dir) throws Exception {
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        Process openssl = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost",
                "-keyout", key.toString(), "-out", cert.toString()).redirectErrorStream(true).start();
        String out = new String(openssl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(openssl.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(openssl.exitValue()).as(out).isZero();

        try (ConnectionTier tier = TestSettings.node("node-tls", kafka, redis).tls(cert.toString(), key.toString()).start()) {
            String token = DevTokens.mint(TestSettings.SECRET, "tess", "phone", Duration.ofMinutes(5));
            String first = firstFrame(HttpClient.newBuilder().sslContext(trusting(cert)).build(),
                    URI.create("wss://localhost:" + tier.port() + "/ws?token=" + token));
            assertThat(first).contains("\"t\":\"welcome\"").contains("\"userId\":\"tess\"");
        }
    }

    @Test
    void usesRedisAsAnAclUserOverTls(KafkaServer kafka, RedisServer unused) throws Exception {
        RedisServer secured = RedisServer.secured(
                "connection-tier on >tier-password ~parley:* &parley:* +@all -@dangerous", "default off");
        secured.start();
        try (ConnectionTier tier = TestSettings.node("node-redis-tls", kafka, unused)
                .redis(secured.tlsUri("connection-tier", "tier-password"), secured.certificates().certPem().toString())
                .start();
             WsClient client = WsClient.connect(tier.port(), "token="
                     + DevTokens.mint(TestSettings.SECRET, "rita", "phone", Duration.ofMinutes(5)))) {
            // The welcome comes after the device's presence is written, by a script, as the ACL user.
            assertThat(client.awaitType("welcome").path("d").path("userId").asText()).isEqualTo("rita");
        } finally {
            secured.stop();
        }
    }

    @Test
    void acceptsRs256TokensSignedByAKeyFromTheJwksUrlAndNothingElse(KafkaServer kafka, RedisServer redis) throws Exception {
        RSAKey signing = new RSAKeyGenerator(2048).keyID("k1").generate();
        RSAKey stranger = new RSAKeyGenerator(2048).keyID("k1").generate();
        HttpServer jwks = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        byte[] body = new JWKSet(signing.toPublicJWK()).toString().getBytes(StandardCharsets.UTF_8);
        jwks.createContext("/jwks.json", ex -> {
            ex.getResponseHeaders().set("Content-Type", "application/json");
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        jwks.start();
        String url = "http://127.0.0.1:" + jwks.getAddress().getPort() + "/jwks.json";
        try (ConnectionTier tier = TestSettings.node("node-rs", kafka, redis).jwks(url).start()) {
            try (WsClient ok = WsClient.connect(tier.port(), "token=" + rs256(signing, "uma", TestSettings.AUDIENCE, "phone"))) {
                assertThat(ok.awaitType("welcome").path("d").path("deviceId").asText()).isEqualTo("phone");
            }
            // In production the device is the token's: none in the token, or another in the query, is refused.
            for (String query : List.of("token=" + rs256(signing, "uma", TestSettings.AUDIENCE, null) + "&device=phone",
                    "token=" + rs256(signing, "uma", TestSettings.AUDIENCE, "phone") + "&device=laptop",
                    "token=" + rs256(signing, "uma", "parley.im/other", "phone"))) {
                try (WsClient refused = WsClient.connect(tier.port(), query)) {
                    assertThat(refused.awaitClose(Duration.ofSeconds(10)).code()).as(query).isEqualTo(4401);
                }
            }
            try (WsClient forged = WsClient.connect(tier.port(), "token=" + rs256(stranger, "uma", TestSettings.AUDIENCE, "phone"))) {
                WsClient.Closed closed = forged.awaitClose(Duration.ofSeconds(10));
                assertThat(closed.code()).isEqualTo(4401);
                assertThat(closed.reason()).startsWith("token invalid");
            }
            // An HS256 token must not pass where RS256 is expected (algorithm confusion).
            String hs = DevTokens.mint(TestSettings.SECRET, "uma", "phone", Duration.ofMinutes(5));
            try (WsClient confused = WsClient.connect(tier.port(), "token=" + hs)) {
                assertThat(confused.awaitClose(Duration.ofSeconds(10)).code()).isEqualTo(4401);
            }
        } finally {
            jwks.stop(0);
        }
    }

    @Test
    void twoNodesShareOnePortAndTheKernelSpreadsConnectionsOverBoth(KafkaServer kafka, RedisServer redis)
            throws Exception {
        int port = Ports.free();
        try (ConnectionTier a = TestSettings.node("node-r1", kafka, redis).port(port).start();
             ConnectionTier b = TestSettings.node("node-r2", kafka, redis).port(port).start()) {
            List<WsClient> clients = new ArrayList<>();
            try {
                for (int i = 0; i < 40; i++) {
                    WsClient client = WsClient.connect(port, "token="
                            + DevTokens.mint(TestSettings.SECRET, "share" + i, "phone", Duration.ofMinutes(5)));
                    client.awaitType("welcome");
                    clients.add(client);
                }
                assertThat(a.connections() + b.connections()).isEqualTo(40);
                assertThat(a.connections()).as("node-r1").isPositive();
                assertThat(b.connections()).as("node-r2").isPositive();
            } finally {
                clients.forEach(WsClient::close);
            }
        }
    }

    private static String rs256(RSAKey key, String user, String audience, String device) throws Exception {
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().subject(user).audience(audience)
                .expirationTime(new Date(System.currentTimeMillis() + 300_000));
        if (device != null) {
            claims.claim("did", device);
        }
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(), claims.build());
        jwt.sign(new RSASSASigner(key));
        return jwt.serialize();
    }

    private static SSLContext trusting(Path cert) throws Exception {
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        try (InputStream in = Files.newInputStream(cert)) {
            store.setCertificateEntry("parley", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(store);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }

    private static String firstFrame(HttpClient http, URI uri) throws Exception {
        CompletableFuture<String> first = new CompletableFuture<>();
        WebSocket ws = http.newWebSocketBuilder().buildAsync(uri, new WebSocket.Listener() {
            @Override
            public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
                first.complete(data.toString());
                return null;
            }
        }).get(10, TimeUnit.SECONDS);
        try {
            return first.get(10, TimeUnit.SECONDS);
        } finally {
            ws.abort();
        }
    }
}
