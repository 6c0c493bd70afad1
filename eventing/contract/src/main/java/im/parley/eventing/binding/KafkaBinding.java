package im.parley.eventing.binding;

import im.parley.eventing.Events;
import im.parley.eventing.InvalidEventException;
import io.cloudevents.CloudEvent;
import io.cloudevents.kafka.KafkaMessageFactory;
import io.cloudevents.rw.CloudEventRWException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The Kafka protocol binding as Knative's broker ingress writes it: binary mode (ce_* headers,
 * content-type, data as the value) with the partitionkey extension as the record key.
 */
public final class KafkaBinding {

    private KafkaBinding() {
    }

    public static ProducerRecord<String, byte[]> toRecord(String topic, CloudEvent event) {
        return KafkaMessageFactory.createWriter(topic, null, null, Events.partitionKey(event)).writeBinary(event);
    }

    /** Reads binary or structured records; throws {@link InvalidEventException} for anything else. */
    public static CloudEvent fromRecord(ConsumerRecord<?, byte[]> record) {
        try {
            return KafkaMessageFactory.createReader(record).toEvent();
        } catch (CloudEventRWException | IllegalStateException e) {
            throw new InvalidEventException("record " + record.topic() + "-" + record.partition() + "@" + record.offset()
                    + " is not a CloudEvent: " + e.getMessage(), e);
        }
    }
}
