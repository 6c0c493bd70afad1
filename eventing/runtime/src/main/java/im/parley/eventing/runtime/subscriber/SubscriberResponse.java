package im.parley.eventing.runtime.subscriber;

import io.cloudevents.CloudEvent;

/**
 * What a subscriber answered. {@code status} 0 stands for no answer at all (a network error or a timeout).
 *
 * @param reply the reply event of a 2xx answer, or null
 * @param body  the raw body, kept for the dead-letter sink's {@code knativeerrordata}
 */
public record SubscriberResponse(int status, CloudEvent reply, byte[] body) {

    public static final int NO_RESPONSE = 0;

    public static SubscriberResponse failed(String reason) {
        return new SubscriberResponse(NO_RESPONSE, null, reason.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    public boolean succeeded() {
        return status >= 200 && status < 300;
    }
}
