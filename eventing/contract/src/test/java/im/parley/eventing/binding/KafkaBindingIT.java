package im.parley.eventing.binding;

import static org.assertj.core.api.Assertions.assertThat;

import im.parley.eventing.Events;
import im.parley.eventing.SampleEvents;
import im.parley.eventing.knative.KnativeNames;
import im.parley.stack.KafkaServer;
import im.parley.stack.junit.LocalStack;
import io.cloudevents.CloudEvent;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

@LocalStack
class KafkaBindingIT {

    @Test
    void anEventSurvivesARealBrokerWithEveryAttributeAndLandsOnItsKeysPartition(KafkaServer kafka) throws Exception {
        String topic = KnativeNames.brokerTopic("it", "binding");
        kafka.createTopic(topic, 6);
        CloudEvent event = SampleEvents.everyAttribute();

        RecordMetadata written;
        RecordMetadata sameKey;
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(), ProducerConfig.ACKS_CONFIG, "all"),
                new StringSerializer(), new ByteArraySerializer())) {
            written = producer.send(KafkaBinding.toRecord(topic, event)).get();
            sameKey = producer.send(KafkaBinding.toRecord(topic, SampleEvents.everyAttribute())).get();
        }
        assertThat(sameKey.partition()).as("same conversation, same partition").isEqualTo(written.partition());

        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, KnativeNames.triggerConsumerGroup("it", "binding"),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            ConsumerRecord<String, byte[]> record = null;
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (record == null && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (r.offset() == written.offset() && r.partition() == written.partition()) {
                        record = r;
                    }
                }
            }
            assertThat(record).as("the produced record").isNotNull();
            assertThat(record.key()).isEqualTo(Events.partitionKey(event));
            SampleEvents.assertSameEvent(KafkaBinding.fromRecord(record), event);
        }
    }
}
