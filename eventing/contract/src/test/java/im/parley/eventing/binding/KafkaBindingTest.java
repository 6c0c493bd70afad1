package im.parley.eventing.binding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import im.parley.eventing.InvalidEventException;
import im.parley.eventing.SampleEvents;
import io.cloudevents.CloudEvent;
import io.cloudevents.kafka.KafkaMessageFactory;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

class KafkaBindingTest {

    @Test
    void writesBinaryModeWithThePartitionKeyAsRecordKey() {
        CloudEvent event = SampleEvents.everyAttribute();
        ProducerRecord<String, byte[]> record = KafkaBinding.toRecord("knative-broker-parley-default", event);

        assertThat(record.key()).isEqualTo("d:alice:bob");
        assertThat(record.topic()).isEqualTo("knative-broker-parley-default");
        assertThat(header(record, "ce_type")).contains("im.parley.message.sent");
        assertThat(header(record, "ce_partitionkey")).contains("d:alice:bob");
        assertThat(header(record, "ce_userid")).contains("alice");
        assertThat(header(record, "content-type")).contains("application/json");
        assertThat(record.value()).isEqualTo(event.getData().toBytes());
    }

    @Test
    void aRecordReadsBackAsTheSameEvent() {
        CloudEvent event = SampleEvents.everyAttribute();
        ProducerRecord<String, byte[]> produced = KafkaBinding.toRecord("t", event);
        ConsumerRecord<String, byte[]> consumed = new ConsumerRecord<>("t", 0, 7L, 0L, TimestampType.CREATE_TIME,
                0, 0, produced.key(), produced.value(), new RecordHeaders(produced.headers().toArray()), Optional.empty());

        SampleEvents.assertSameEvent(KafkaBinding.fromRecord(consumed), event);
    }

    @Test
    void aBinaryRecordReadsAsTheCloudEventsSdkReadsIt() {
        CloudEvent event = SampleEvents.everyAttribute();
        ProducerRecord<String, byte[]> produced = KafkaBinding.toRecord("t", event);
        ConsumerRecord<String, byte[]> consumed = new ConsumerRecord<>("t", 0, 7L, 0L, TimestampType.CREATE_TIME,
                0, 0, produced.key(), produced.value(), new RecordHeaders(produced.headers().toArray()), Optional.empty());
        assertThat(KafkaBinding.fromRecord(consumed)).isEqualTo(KafkaMessageFactory.createReader(consumed).toEvent());
    }

    @Test
    void timesInTheUsualFormAreReadWithoutAFormatterAndOthersStillRead() {
        for (String time : new String[] {"2026-12-01T10:00:00Z", "2026-12-01T10:00:00.1Z", "2026-12-01T10:00:00.123Z",
                "2026-12-01T10:00:00.123456Z", "2026-12-01T23:59:59.123456789Z", "2026-12-01T10:00:00+02:00",
                "2026-12-01T10:00:00.5-05:30"}) {
            assertThat(KafkaBinding.time(time)).as(time).isEqualTo(OffsetDateTime.parse(time));
        }
        assertThatThrownBy(() -> KafkaBinding.time("yesterday")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aRecordThatIsNotACloudEventIsRejected() {
        ConsumerRecord<String, byte[]> junk = new ConsumerRecord<>("t", 0, 1L, "k", "junk".getBytes());
        assertThatThrownBy(() -> KafkaBinding.fromRecord(junk)).isInstanceOf(InvalidEventException.class)
                .hasMessageContaining("t-0@1");
    }

    private static Optional<String> header(ProducerRecord<String, byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return Optional.ofNullable(header).map(h -> new String(h.value(), StandardCharsets.UTF_8));
    }
}
