package im.parley.eventing.binding;

import im.parley.eventing.InvalidEventException;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.format.EventDeserializationException;
import io.cloudevents.core.format.EventFormat;
import io.cloudevents.core.provider.EventFormatProvider;
import io.cloudevents.http.HttpMessageFactory;
import io.cloudevents.jackson.JsonFormat;
import io.cloudevents.rw.CloudEventRWException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** The HTTP protocol binding, binary and structured mode, as Knative sends events to subscribers. */
public final class HttpBinding {

    public static final String STRUCTURED_JSON = "application/cloudevents+json";

    /** Headers (lower-case names) and body of an HTTP request or response carrying one event. */
    public record HttpMessage(Map<String, String> headers, byte[] body) {
    }

    private HttpBinding() {
    }

    public static HttpMessage binary(CloudEvent event) {
        Map<String, String> headers = new LinkedHashMap<>();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        HttpMessageFactory.createWriter((name, value) -> headers.put(name.toLowerCase(Locale.ROOT), value), body::writeBytes)
                .writeBinary(event);
        return new HttpMessage(headers, body.toByteArray());
    }

    public static HttpMessage structured(CloudEvent event) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("content-type", STRUCTURED_JSON + "; charset=UTF-8");
        return new HttpMessage(headers, new JsonFormat().serialize(event));
    }

    /**
     * Reads an event in either mode. Header names are matched without regard to case, and so are the media
     * type and charset of a structured-mode content type.
     */
    public static CloudEvent read(Map<String, String> headers, byte[] body) {
        Map<String, String> lower = new LinkedHashMap<>();
        headers.forEach((k, v) -> lower.put(k.toLowerCase(Locale.ROOT), v));
        String contentType = lower.get("content-type");
        try {
            if (contentType != null && mediaType(contentType).startsWith("application/cloudevents")) {
                return readStructured(contentType, body);
            }
            if (!lower.containsKey("ce-specversion")) {
                throw new InvalidEventException("not a CloudEvent: no ce-specversion header and no structured content type");
            }
            return HttpMessageFactory.createReader(lower, body).toEvent();
        } catch (CloudEventRWException | EventDeserializationException | IllegalStateException | IllegalArgumentException e) {
            throw new InvalidEventException("not a valid CloudEvent: " + e.getMessage(), e);
        }
    }

    private static CloudEvent readStructured(String contentType, byte[] body) {
        String media = mediaType(contentType);
        EventFormat format = EventFormatProvider.getInstance().resolveFormat(media);
        if (format == null) {
            throw new InvalidEventException("unsupported structured content type " + media
                    + " (only " + STRUCTURED_JSON + " is accepted)");
        }
        String charset = parameter(contentType, "charset");
        if (charset != null && !charset.equalsIgnoreCase(StandardCharsets.UTF_8.name())) {
            throw new InvalidEventException("unsupported charset " + charset + " (events are UTF-8 JSON)");
        }
        return format.deserialize(body);
    }

    private static String mediaType(String contentType) {
        int semi = contentType.indexOf(';');
        return (semi < 0 ? contentType : contentType.substring(0, semi)).trim().toLowerCase(Locale.ROOT);
    }

    private static String parameter(String contentType, String name) {
        String[] parts = contentType.split(";");
        for (int i = 1; i < parts.length; i++) {
            String[] kv = parts[i].split("=", 2);
            if (kv.length == 2 && kv[0].trim().equalsIgnoreCase(name)) {
                return kv[1].trim().replace("\"", "");
            }
        }
        return null;
    }
}
