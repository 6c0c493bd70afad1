package im.parley.eventing.binding;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import im.parley.eventing.EventType;
import im.parley.eventing.EventTypes;
import im.parley.eventing.Events;
import im.parley.eventing.InvalidEventException;
import io.cloudevents.CloudEvent;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Whatever arrives over HTTP or Kafka, the contract's readers give an event or an {@link InvalidEventException}
 * (a 400, a dead letter), never another exception; so does reading the event's data as its type, or as any type.
 * Fuzzed for a short while by {@code ./parley test}; the inputs under {@code EventReadersFuzzTestInputs} are
 * replayed by every test run.
 */
class EventReadersFuzzTest {

    static final List<EventType<?>> TYPES = EventTypes.all();
    static final String[] HEADERS = {"ce-specversion", "ce-id", "ce-source", "ce-type", "ce-time", "ce-partitionkey",
            "ce-userid", "content-type", "ce-dataschema", "ce-subject"};

    @FuzzTest(maxDuration = "30s")
    void anyMessageIsReadAsAnEventOrRefused(FuzzedDataProvider data) {
        int mode = data.consumeInt(0, 2);
        Map<String, String> headers = new LinkedHashMap<>();
        int count = data.consumeInt(0, HEADERS.length);
        for (int i = 0; i < count; i++) {
            headers.put(data.pickValue(HEADERS), data.consumeString(64));
        }
        EventType<?> as = data.pickValue(TYPES);
        byte[] body = data.consumeRemainingAsBytes();
        CloudEvent event;
        try {
            event = switch (mode) {
                case 0 -> HttpBinding.read(Map.of("content-type", HttpBinding.STRUCTURED_JSON), body);
                case 1 -> HttpBinding.read(headers, body);
                default -> KafkaBinding.fromRecord(record(headers, body));
            };
        } catch (InvalidEventException refused) {
            return;
        }
        for (EventType<?> type : List.of(as, TYPES.stream().filter(t -> t.type().equals(event.getType())).findFirst()
                .orElse(as))) {
            try {
                Events.data(type, event);
            } catch (InvalidEventException refused) {
                // the data is not of that type: a 400
            }
        }
    }

    private static ConsumerRecord<String, byte[]> record(Map<String, String> headers, byte[] body) {
        ConsumerRecord<String, byte[]> record = new ConsumerRecord<>("fuzz", 0, 0L, "k", body);
        headers.forEach((k, v) -> record.headers().add(k.replace('-', '_').replace("content_type", "content-type"),
                v.getBytes(StandardCharsets.UTF_8)));
        return record;
    }
}
