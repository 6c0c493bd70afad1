package im.parley.eventing.broker;

import im.parley.eventing.knative.KnativeNames;
import im.parley.stack.KafkaServer;
import im.parley.stack.junit.LocalStack;
import io.cloudevents.CloudEvent;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The Kafka sink's contract against a real broker, with the topics Knative would name. */
@LocalStack
class KafkaBrokerSinkIT extends BrokerSinkContract {

    static final String NAMESPACE = "sinkit";
    static KafkaServer kafka;
    static KafkaBrokerSink sink;

    @BeforeAll
    static void start(KafkaServer server) {
        kafka = server;
        kafka.createTopic(KnativeNames.brokerTopic(NAMESPACE, "messages"), 2);
        kafka.createTopic(KnativeNames.brokerTopic(NAMESPACE, "default"), 2);
        sink = new KafkaBrokerSink(kafka.bootstrapServers(), NAMESPACE, "sink-it", Duration.ofSeconds(5));
    }

    @AfterAll
    static void stop() {
        sink.close();
    }

    @Override
    protected BrokerSink sink() {
        return sink;
    }

    @Override
    protected List<CloudEvent> onBroker(String broker, int expected) {
        return eventsOn(kafka.bootstrapServers(), KnativeNames.brokerTopic(NAMESPACE, broker), expected);
    }
}
