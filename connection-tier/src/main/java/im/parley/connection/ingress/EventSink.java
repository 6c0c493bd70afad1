package im.parley.connection.ingress;

import io.cloudevents.CloudEvent;
import java.util.concurrent.CompletionStage;

/** Where upstream events go: the broker topic. Completes once the broker has the event durably. */
public interface EventSink extends AutoCloseable {

    CompletionStage<Void> publish(CloudEvent event);

    @Override
    void close();
}
