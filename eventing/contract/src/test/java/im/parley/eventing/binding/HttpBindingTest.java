package im.parley.eventing.binding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import im.parley.eventing.InvalidEventException;
import im.parley.eventing.SampleEvents;
import io.cloudevents.CloudEvent;
import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class HttpBindingTest {

    private final CloudEvent event = SampleEvents.everyAttribute();

    @Test
    void binaryModeRoundTripsEveryAttributeAndExtension() {
        HttpBinding.HttpMessage message = HttpBinding.binary(event);
        assertThat(message.headers()).containsEntry("ce-type", "im.parley.message.sent")
                .containsEntry("ce-partitionkey", "d:alice:bob")
                .containsEntry("content-type", "application/json");
        SampleEvents.assertSameEvent(HttpBinding.read(message.headers(), message.body()), event);
    }

    @Test
    void binaryModeHeaderNamesAreCaseInsensitive() {
        HttpBinding.HttpMessage message = HttpBinding.binary(event);
        Map<String, String> shouted = new LinkedHashMap<>();
        message.headers().forEach((k, v) -> shouted.put(k.toUpperCase(), v));
        SampleEvents.assertSameEvent(HttpBinding.read(shouted, message.body()), event);
    }

    @Test
    void structuredModeRoundTripsEveryAttributeAndExtension() {
        HttpBinding.HttpMessage message = HttpBinding.structured(event);
        assertThat(message.headers().get("content-type")).startsWith("application/cloudevents+json");
        SampleEvents.assertSameEvent(HttpBinding.read(message.headers(), message.body()), event);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "application/cloudevents+json; charset=UTF-8",
        "application/cloudevents+json; charset=utf-8",
        "application/cloudevents+json;charset=\"utf-8\"",
        "Application/CloudEvents+JSON; Charset=Utf-8",
        "application/cloudevents+json"})
    void structuredContentTypeIsAcceptedWhateverTheCaseOfItsCharset(String contentType) {
        byte[] body = HttpBinding.structured(event).body();
        SampleEvents.assertSameEvent(HttpBinding.read(Map.of("Content-Type", contentType), body), event);
    }

    /** Through a real HTTP exchange: the server reads what the client wrote and replies with it, both modes. */
    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void roundTripsThroughARealHttpRequestAndReply(boolean structured) throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            Map<String, String> headers = new LinkedHashMap<>();
            exchange.getRequestHeaders().forEach((k, v) -> headers.put(k, v.get(0)));
            CloudEvent received = HttpBinding.read(headers, exchange.getRequestBody().readAllBytes());
            HttpBinding.HttpMessage reply = HttpBinding.binary(received);
            reply.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
            exchange.sendResponseHeaders(200, reply.body().length);
            exchange.getResponseBody().write(reply.body());
            exchange.close();
        });
        server.start();
        try {
            HttpBinding.HttpMessage request = structured ? HttpBinding.structured(event) : HttpBinding.binary(event);
            HttpRequest.Builder builder = HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/"))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(request.body()));
            request.headers().forEach(builder::header);
            HttpResponse<byte[]> response = HttpClient.newHttpClient()
                    .send(builder.build(), HttpResponse.BodyHandlers.ofByteArray());
            Map<String, String> headers = new LinkedHashMap<>();
            response.headers().map().forEach((k, v) -> headers.put(k, v.get(0)));
            assertThat(response.statusCode()).isEqualTo(200);
            SampleEvents.assertSameEvent(HttpBinding.read(headers, response.body()), event);
        } finally {
            server.stop(0);
        }
    }

    @Test
    void aForeignCharsetOrANonEventIsRejectedWithAReason() {
        byte[] body = HttpBinding.structured(event).body();
        assertThatThrownBy(() -> HttpBinding.read(Map.of("content-type", "application/cloudevents+json; charset=ISO-8859-1"), body))
                .isInstanceOf(InvalidEventException.class).hasMessageContaining("charset");
        assertThatThrownBy(() -> HttpBinding.read(Map.of("content-type", "application/json"),
                "{\"hello\":1}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(InvalidEventException.class).hasMessageContaining("not a CloudEvent");
        assertThatThrownBy(() -> HttpBinding.read(Map.of("content-type", "application/cloudevents+json"),
                "{\"specversion\":\"1.0\"}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(InvalidEventException.class);
    }
}
