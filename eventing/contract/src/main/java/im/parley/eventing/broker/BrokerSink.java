package im.parley.eventing.broker;

import io.cloudevents.CloudEvent;
import java.util.concurrent.CompletionStage;

/**
 * Sends an event to the Knative Kafka Broker the catalog names for its type. Completes once the broker has it
 * durably; fails when it cannot be taken (a type on no broker, the broker unavailable).
 */
public interface BrokerSink extends AutoCloseable {

    CompletionStage<Void> publish(CloudEvent event);

    @Override
    void close();
}
