package im.parley.functions.hosting;

import static org.assertj.core.api.Assertions.assertThat;

import im.parley.eventing.binding.HttpBinding;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class FunctionHttpServerTest {

    static final FunctionDescriptor ECHO = new FunctionDescriptor("echo", "echo", EchoFunctions.class.getName());
    static FunctionHttpServer server;
    static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        server = FunctionHttpServer.start(FunctionApplication.start(ECHO, Map.of()), "127.0.0.1", 0, 4);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static CloudEvent event(String type) {
        return CloudEventBuilder.v1().withId("e1").withSource(URI.create("/test")).withType(type)
                .withExtension("partitionkey", "k1").withData("application/json", "{\"n\":1}".getBytes(StandardCharsets.UTF_8))
                .build();
    }

    static HttpResponse<byte[]> post(HttpBinding.HttpMessage message) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(message.body()));
        message.headers().forEach(request::header);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    static CloudEvent reply(HttpResponse<byte[]> response) {
        Map<String, String> headers = new HashMap<>();
        response.headers().map().forEach((k, v) -> headers.put(k, v.get(0)));
        return HttpBinding.read(headers, response.body());
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
