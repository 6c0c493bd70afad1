package im.parley.eventing.binding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import im.parley.eventing.InvalidEventException;
import im.parley.eventing.SampleEvents;
import io.cloudevents.CloudEvent;
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
