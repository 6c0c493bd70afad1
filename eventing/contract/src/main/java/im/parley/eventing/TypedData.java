package im.parley.eventing;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.cloudevents.CloudEventData;
import java.util.Arrays;

/**
 * An event's data as the typed record it was built from, encoded as JSON only when it leaves the process: a
 * function composed after another (sequence|persist|fanout) reads the record as it is, with no JSON in between.
 */
final class TypedData implements CloudEventData {

    private final Object value;
    private volatile byte[] json;

    TypedData(Object value) {
        this.value = value;
    }

    Object value() {
        return value;
    }

    @Override
    public byte[] toBytes() {
        byte[] bytes = json;
        if (bytes == null) {
            try {
                bytes = EventJson.MAPPER.writeValueAsBytes(value);
            } catch (JsonProcessingException e) {
                throw new InvalidEventException("cannot encode " + value.getClass().getSimpleName() + ": "
                        + e.getOriginalMessage(), e);
            }
            json = bytes;
        }
        return bytes;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof CloudEventData data && Arrays.equals(toBytes(), data.toBytes());
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(toBytes());
    }

    @Override
    public String toString() {
        return new String(toBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }
}
