package im.parley.functions.hosting;

import static org.assertj.core.api.Assertions.assertThat;

import im.parley.eventing.EventJson;
import im.parley.eventing.binding.HttpBinding;
import io.cloudevents.CloudEvent;
import io.cloudevents.jackson.JsonFormat;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Replays every valid example event of the catalog through a function's HTTP endpoint, sent in binary and in
 * structured mode, and checks that the function saw, and answered with, exactly the event.
 */
class CatalogReplayTest {

    static final Path EXAMPLES = Path.of("../../schemas/cloudevents/examples");
    static FunctionHttpServer server;
    static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        server = FunctionHttpServer.start(FunctionApplication.start(
                new FunctionDescriptor("mirror", "mirror", EchoFunctions.class.getName()), Map.of()), "127.0.0.1", 0, 4,
                EventSenders.ANYONE);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void everyCatalogExampleSurvivesTheHttpBindingInBothModes() throws Exception {
        List<Path> examples;
        try (Stream<Path> files = Files.walk(EXAMPLES)) {
            examples = files.filter(p -> p.getFileName().toString().startsWith("valid-")).sorted().toList();
        }
        assertThat(examples).hasSizeGreaterThanOrEqualTo(29);
        for (Path example : examples) {
            CloudEvent event = new JsonFormat().deserialize(Files.readAllBytes(example));
            for (HttpBinding.HttpMessage request : List.of(HttpBinding.binary(event), HttpBinding.structured(event))) {
                HttpRequest.Builder post = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/"))
                        .POST(HttpRequest.BodyPublishers.ofByteArray(request.body()));
                request.headers().forEach(post::header);
                HttpResponse<byte[]> response = http.send(post.build(), HttpResponse.BodyHandlers.ofByteArray());
                assertThat(response.statusCode()).as(example.toString()).isEqualTo(200);
                Map<String, String> headers = new HashMap<>();
                response.headers().map().forEach((k, v) -> headers.put(k, v.get(0)));
                CloudEvent back = HttpBinding.read(headers, response.body());
                assertThat(back.getAttributeNames()).as(example.toString()).containsExactlyInAnyOrderElementsOf(event.getAttributeNames());
                for (String name : event.getAttributeNames()) {
                    assertThat(String.valueOf(back.getAttribute(name))).as(example + " " + name)
                            .isEqualTo(String.valueOf(event.getAttribute(name)));
                }
                assertThat(back.getExtensionNames()).as(example.toString()).isEqualTo(event.getExtensionNames());
                event.getExtensionNames().forEach(name -> assertThat(String.valueOf(back.getExtension(name)))
                        .isEqualTo(String.valueOf(event.getExtension(name))));
                assertThat(EventJson.MAPPER.readTree(back.getData().toBytes())).as(example.toString())
                        .isEqualTo(EventJson.MAPPER.readTree(event.getData().toBytes()));
            }
        }
    }
}
