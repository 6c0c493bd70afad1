package im.parley.functions.hosting;

import static org.assertj.core.api.Assertions.assertThat;

import im.parley.eventing.binding.HttpBinding;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class FunctionHttpServerTest {

    static final FunctionDescriptor ECHO = new FunctionDescriptor("echo", "echo", EchoFunctions.class.getName());
    static final String AUDIENCE = "parley.im/functions/echo";
    static final String DISPATCHER = "system:serviceaccount:parley:echo-test-oidc-eventing.knative.dev-trigger";
    static FunctionHttpServer server;
    static TestIssuer issuer;
    static String token;
    static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        issuer = new TestIssuer();
        token = issuer.token(TestIssuer.claims(issuer.issuer(), DISPATCHER, AUDIENCE, Duration.ofMinutes(10)));
        server = FunctionHttpServer.start(FunctionApplication.start(ECHO, Map.of()), "127.0.0.1", 0, 4,
                EventSenders.verifying(issuer.issuer(), issuer.jwks(), AUDIENCE,
                        List.of("system:serviceaccount:parley:*-oidc-eventing.knative.dev-trigger")));
    }

    @AfterAll
    static void stop() {
        server.close();
        issuer.close();
    }

    static CloudEvent event(String type) {
        return CloudEventBuilder.v1().withId("e1").withSource(URI.create("/test")).withType(type)
                .withExtension("partitionkey", "k1").withData("application/json", "{\"n\":1}".getBytes(StandardCharsets.UTF_8))
                .build();
    }

    static HttpResponse<byte[]> post(HttpBinding.HttpMessage message) throws Exception {
        return post(message, "Bearer " + token);
    }

    static HttpResponse<byte[]> post(HttpBinding.HttpMessage message, String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(message.body()));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        message.headers().forEach(request::header);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    static CloudEvent reply(HttpResponse<byte[]> response) {
        Map<String, String> headers = new HashMap<>();
        response.headers().map().forEach((k, v) -> headers.put(k, v.get(0)));
        return HttpBinding.read(headers, response.body());
    }

    @Test
    void anAttemptWhoseSenderHungUpWritesNothingMore() throws Exception {
        EchoFunctions.SLOW_WRITES.clear();
        HttpBinding.HttpMessage message = HttpBinding.binary(event("test.slow"));
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            StringBuilder head = new StringBuilder("POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + token
                    + "\r\nContent-Length: " + message.body().length + "\r\n");
            message.headers().forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
            OutputStream out = socket.getOutputStream();
            out.write(head.append("\r\n").toString().getBytes(StandardCharsets.UTF_8));
            out.write(message.body());
            out.flush();
            Thread.sleep(100);
        } // the dispatcher's timeout: it closes the connection
        assertThat(EchoFunctions.SLOW_WRITES.poll(5, TimeUnit.SECONDS)).isEqualTo("abandoned");
        // A sender that waits gets the write done.
        assertThat(post(HttpBinding.binary(event("test.slow"))).statusCode()).isEqualTo(202);
        assertThat(EchoFunctions.SLOW_WRITES.poll(5, TimeUnit.SECONDS)).isEqualTo("written");
    }

    @Test
    void aReplyComesBackInBinaryModeForBinaryAndStructuredRequests() throws Exception {
        for (HttpBinding.HttpMessage request : new HttpBinding.HttpMessage[] {
                HttpBinding.binary(event("test.echo")), HttpBinding.structured(event("test.echo"))}) {
            HttpResponse<byte[]> response = post(request);
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("ce-type")).hasValue("test.echoed");
            CloudEvent reply = reply(response);
            assertThat(reply.getId()).isEqualTo("re-e1");
            assertThat(reply.getExtension("partitionkey")).isEqualTo("k1");
            assertThat(new String(reply.getData().toBytes(), StandardCharsets.UTF_8)).isEqualTo("{\"n\":1}");
        }
    }

    /** Only the dispatcher, with a token from the issuer for this function, may send; every forgery is a 401. */
    @Test
    void aSenderWithoutTheDispatchersTokenIsRefusedWith401() throws Exception {
        String iss = issuer.issuer();
        Map<String, String> forged = new java.util.LinkedHashMap<>();
        forged.put("no token", null);
        forged.put("not a bearer token", "Basic YWxpY2U6c2VjcmV0");
        forged.put("malformed", "Bearer not.a.jwt");
        forged.put("wrong audience", "Bearer " + issuer.token(TestIssuer.claims(iss, DISPATCHER, "parley.im/functions/group",
                Duration.ofMinutes(5))));
        forged.put("wrong issuer", "Bearer " + issuer.token(TestIssuer.claims("https://evil.example", DISPATCHER, AUDIENCE,
                Duration.ofMinutes(5))));
        forged.put("expired", "Bearer " + issuer.token(TestIssuer.claims(iss, DISPATCHER, AUDIENCE, Duration.ofMinutes(-5))));
        forged.put("another pod's account", "Bearer " + issuer.token(TestIssuer.claims(iss,
                "system:serviceaccount:parley:default", AUDIENCE, Duration.ofMinutes(5))));
        forged.put("alg none", "Bearer " + TestIssuer.unsigned(TestIssuer.claims(iss, DISPATCHER, AUDIENCE, Duration.ofMinutes(5))));
        forged.put("HS256 with the public key", "Bearer " + issuer.confused(TestIssuer.claims(iss, DISPATCHER, AUDIENCE,
                Duration.ofMinutes(5))));
        for (Map.Entry<String, String> attempt : forged.entrySet()) {
            HttpResponse<byte[]> response = post(HttpBinding.binary(event("test.echo")), attempt.getValue());
            assertThat(response.statusCode()).as(attempt.getKey()).isEqualTo(401);
            assertThat(response.headers().firstValue("www-authenticate")).as(attempt.getKey()).hasValue("Bearer");
            assertThat(new String(response.body(), StandardCharsets.UTF_8)).as(attempt.getKey()).isNotBlank();
        }
        assertThat(post(HttpBinding.binary(event("test.echo"))).statusCode()).isEqualTo(200);
    }

    static HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void readyOnlyWhileItsStoresAnswerAndAliveRegardless() throws Exception {
        try {
            EchoFunctions.STORE.set(null);
            assertThat(get("/health/ready")).satisfies(r -> assertThat(r.statusCode()).isEqualTo(200));

            EchoFunctions.STORE.set(java.util.concurrent.CompletableFuture.failedFuture(new IllegalStateException("connection refused")));
            HttpResponse<String> failing = get("/health/ready");
            assertThat(failing.statusCode()).isEqualTo(503);
            assertThat(failing.body()).isEqualTo("not ready: test-store: connection refused");

            EchoFunctions.STORE.set(new java.util.concurrent.CompletableFuture<>());
            HttpResponse<String> silent = get("/health/ready");
            assertThat(silent.statusCode()).isEqualTo(503);
            assertThat(silent.body()).isEqualTo("not ready: test-store: no answer within 2000 ms");
            assertThat(get("/health/live").statusCode()).isEqualTo(200);
        } finally {
            EchoFunctions.STORE.set(null);
        }
    }

    @Test
    void eachEventsTimeIsAHistogramByTypeAndOutcomeBesideTheJvmsMetrics() throws Exception {
        assertThat(post(HttpBinding.binary(event("test.echo"))).statusCode()).isEqualTo(200);
        assertThat(post(HttpBinding.binary(event("test.refused"))).statusCode()).isEqualTo(400);
        String scrape = get("/metrics").body();
        assertThat(scrape)
                .contains("parley_function_events_seconds_bucket{function=\"echo\",outcome=\"replied\",type=\"test.echo\",le=\"0.001\"}")
                .contains("parley_function_events_seconds_count{function=\"echo\",outcome=\"refused\",type=\"test.refused\"} ")
                .contains("jvm_memory_used_bytes{").contains("jvm_gc_").contains("process_cpu_usage{")
                .doesNotContain("quantile=");
    }

    @Test
    void noReplyIsA202WithAnEmptyBody() throws Exception {
        HttpResponse<byte[]> response = post(HttpBinding.binary(event("test.silent")));
        assertThat(response.statusCode()).isEqualTo(202);
        assertThat(response.body()).isEmpty();
    }

    @Test
    void refusedEventsAre400AndFailuresAre500WithTheirReasons() throws Exception {
        HttpResponse<byte[]> refused = post(HttpBinding.binary(event("test.refused")));
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(new String(refused.body(), StandardCharsets.UTF_8)).isEqualTo("refused: e1");

        HttpResponse<byte[]> broken = post(HttpBinding.binary(event("test.other")));
        assertThat(broken.statusCode()).isEqualTo(500);
        assertThat(new String(broken.body(), StandardCharsets.UTF_8)).isEqualTo("broken on test.other");
    }

    @Test
    void aBodyThatIsNotACloudEventIs400() throws Exception {
        HttpResponse<byte[]> response = post(new HttpBinding.HttpMessage(Map.of("content-type", "application/json"),
                "{}".getBytes(StandardCharsets.UTF_8)));
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(new String(response.body(), StandardCharsets.UTF_8)).contains("not a CloudEvent");
    }
}
