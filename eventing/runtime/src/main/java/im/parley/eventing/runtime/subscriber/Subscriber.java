package im.parley.eventing.runtime.subscriber;

import io.cloudevents.CloudEvent;
import java.time.Duration;
import java.util.concurrent.CompletionStage;

/** Where a Trigger sends its events: a function in this process, or one reached over HTTP. */
public interface Subscriber {

    /**
     * One attempt. The stage never fails: errors and timeouts come back as a response with status
     * {@link SubscriberResponse#NO_RESPONSE}.
     */
    CompletionStage<SubscriberResponse> deliver(CloudEvent event, Duration timeout);
}
