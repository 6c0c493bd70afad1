package im.parley.functions.hosting;

import com.code_intelligence.jazzer.api.BugDetectors;
import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.api.SilentCloseable;
import com.code_intelligence.jazzer.junit.FuzzTest;
import im.parley.eventing.InvalidEventException;
import im.parley.eventing.binding.HttpBinding;
import io.cloudevents.CloudEvent;
import io.netty.util.ResourceLeakDetector;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Whatever bytes reach a function's HTTP endpoint, it answers with a status a dispatcher can act on, never a 500
 * (a retry of an event that can never succeed) and never silence (unless the request declared more body than it
 * sent, then closed): a request without the dispatcher's token is a
 * 401 and reaches no function; one with it is read as an event and answered (here by a function that replies
 * with the event it got, so the reply must read back as that event), or refused with a 4xx. Raw requests go
 * over a socket, so malformed header names and values reach the server as a client could send them.
 * Fuzzed for a short while by {@code ./parley test}; the inputs under {@code FunctionEndpointFuzzTestInputs} are
 * replayed by every test run.
 */
class FunctionEndpointFuzzTest {

    static final String AUDIENCE = "parley.im/functions/mirror";
    static final String DISPATCHER = "system:serviceaccount:parley:mirror-oidc-eventing.knative.dev-trigger";
    static final String[] HEADERS = {"ce-specversion", "ce-id", "ce-source", "ce-type", "ce-time", "ce-partitionkey",
            "ce-userid", "ce-deviceid", "content-type", "ce-dataschema", "ce-subject", "content-length",
            "transfer-encoding", "authorization"};
    static final Set<Integer> AUTHENTICATED = Set.of(200, 202, 400, 413, 431);

    static final TestIssuer ISSUER;
    static final String TOKEN;
    static final FunctionHttpServer SERVER;

    static {
        // The server is Vert.x on Netty: every buffer it leaks is reported.
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
        try {
            ISSUER = new TestIssuer();
            TOKEN = ISSUER.token(TestIssuer.claims(ISSUER.issuer(), DISPATCHER, AUDIENCE, Duration.ofHours(2)));
        } catch (Exception e) {
            throw new ExceptionInInitializerError(e);
        }
        SERVER = FunctionHttpServer.start(FunctionApplication.start(
                        new FunctionDescriptor("mirror", "mirror", EchoFunctions.class.getName()), Map.of()),
                "127.0.0.1", 0, 4, EventSenders.verifying(ISSUER.issuer(), ISSUER.jwks(), AUDIENCE,
                        List.of("system:serviceaccount:parley:*-oidc-eventing.knative.dev-trigger")));
    }

    /** The test's own connections to the function, and the function's to the issuer's keys, are no SSRF. */
    static boolean ours(String host, int port) {
        return (host.equals("127.0.0.1") || host.equals("localhost"))
                && (port == SERVER.port() || port == ISSUER.jwks().getPort());
    }

    @FuzzTest(maxDuration = "30s")
    void anyRequestIsAnsweredWithAStatusTheDispatcherCanActOn(FuzzedDataProvider data) throws IOException {
        try (SilentCloseable allowed = BugDetectors.allowNetworkConnections(FunctionEndpointFuzzTest::ours)) {
            exchange(data);
        }
    }

    private static void exchange(FuzzedDataProvider data) throws IOException {
        boolean authenticated = data.consumeBoolean();
        boolean structured = data.consumeBoolean();
        Map<String, String> headers = new LinkedHashMap<>();
        int count = data.consumeInt(0, 8);
        for (int i = 0; i < count; i++) {
            String name = data.consumeBoolean() ? data.pickValue(HEADERS) : data.consumeString(16);
            headers.put(name, data.consumeString(64));
        }
        if (structured) {
            headers.put("content-type", HttpBinding.STRUCTURED_JSON);
        }
        String authorization = authenticated ? "Bearer " + TOKEN : data.consumeString(200);
        byte[] body = data.consumeRemainingAsBytes();

        ByteArrayOutputStream request = new ByteArrayOutputStream();
        request.writeBytes(("POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nAuthorization: " + authorization
                + "\r\n").getBytes(StandardCharsets.UTF_8));
        headers.forEach((name, value) -> request.writeBytes((name + ": " + value + "\r\n").getBytes(StandardCharsets.UTF_8)));
        request.writeBytes(("Content-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        request.writeBytes(body);

        // Headers that replace the token or reframe the body (so named, not a header name at all, such as a folded
        // line that continues the token, or smuggled in with a line break) make another request, which is only held
        // to "never a 5xx".
        boolean headersClean = headers.entrySet().stream().allMatch(h -> {
            String name = h.getKey();
            return name.matches("[!#$%&'*+.^_`|~0-9A-Za-z-]+") && !name.equalsIgnoreCase("authorization")
                    && !name.equalsIgnoreCase("content-length") && !name.equalsIgnoreCase("transfer-encoding")
                    && h.getValue().indexOf('\r') < 0 && h.getValue().indexOf('\n') < 0;
        }) && authorization.indexOf('\r') < 0 && authorization.indexOf('\n') < 0;
        Response response = send(request.toByteArray(), headersClean);
        if (response == null) {
            return; // a reframed request that ended before its declared body: closed, nobody left to answer
        }
        if (response.status >= 500) {
            throw new AssertionError("a " + response.status + " for a request the dispatcher cannot fix by retrying: "
                    + response.text());
        }
        if (!authenticated && headersClean && response.status != 401 && response.status != 400) {
            throw new AssertionError("no dispatcher token, yet " + response.status + ": " + response.text());
        }
        if (authenticated && headersClean && !AUTHENTICATED.contains(response.status)) {
            throw new AssertionError("an authenticated request answered " + response.status + ": " + response.text());
        }
        if (response.status == 200) {
            CloudEvent reply;
            try {
                reply = HttpBinding.read(response.headers, response.body);
            } catch (InvalidEventException e) {
                throw new AssertionError("a reply that does not read as an event: " + e.getMessage(), e);
            }
            if (reply.getId() == null || reply.getType() == null) {
                throw new AssertionError("a reply without an id or type");
            }
        }
    }

    record Response(int status, Map<String, String> headers, byte[] body) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /**
     * Sends the bytes and reads the answer to the end; a server that says nothing in 5 s fails the input, and so
     * does one that closes without a word, unless the request was reframed ({@code clean} false): null then.
     */
    static Response send(byte[] request, boolean clean) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", SERVER.port())) {
            socket.setSoTimeout(5_000);
            OutputStream out = socket.getOutputStream();
            out.write(request);
            out.flush();
            socket.shutdownOutput();
            byte[] answer;
            try (InputStream in = socket.getInputStream()) {
                answer = in.readAllBytes();
            } catch (SocketTimeoutException e) {
                throw new AssertionError("no answer in 5 s", e);
            }
            if (answer.length == 0 && !clean) {
                return null;
            }
            return parse(answer);
        }
    }

    static Response parse(byte[] answer) {
        String all = new String(answer, StandardCharsets.ISO_8859_1);
        int end = all.indexOf("\r\n\r\n");
        if (!all.startsWith("HTTP/1.1 ") || end < 0) {
            throw new AssertionError("not an HTTP answer: " + all.substring(0, Math.min(200, all.length())));
        }
        String[] lines = all.substring(0, end).split("\r\n");
        int status = Integer.parseInt(lines[0].substring(9, 12));
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.put(lines[i].substring(0, colon).trim().toLowerCase(), lines[i].substring(colon + 1).trim());
        }
        byte[] body = java.util.Arrays.copyOfRange(answer, end + 4, answer.length);
        return new Response(status, headers, body);
    }
}
