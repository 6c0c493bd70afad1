package im.parley.eventing.runtime.trigger;

import im.parley.eventing.runtime.filter.EventFilter;
import java.net.URI;

/**
 * One Trigger as the runtime runs it.
 *
 * @param service       the Knative Service it calls (the subscriber's ref), or null when it names a URI
 * @param subscriberUri the subscriber's URI, or null when it names a Service
 * @param ordered       {@code kafka.eventing.knative.dev/delivery.order: ordered}
 * @param audience      the subscriber's OIDC audience ({@code spec.subscriber.audience}): its dispatcher presents a
 *                      token for it; null for none
 */
public record TriggerDefinition(String namespace, String name, String broker, String topic, String consumerGroup,
                                EventFilter filter, String service, URI subscriberUri, DeliveryPolicy delivery,
                                boolean ordered, ScalingPolicy scaling, String audience) {

    public static final String DELIVERY_ORDER = "kafka.eventing.knative.dev/delivery.order";

    /** The address Knative would call: the Service's cluster-local URL, or the URI. */
    public String subscriberAddress() {
        return service != null ? "http://" + service + "." + namespace + ".svc.cluster.local" : subscriberUri.toString();
    }
}
