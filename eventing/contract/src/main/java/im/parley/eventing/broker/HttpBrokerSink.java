package im.parley.eventing.broker;

import im.parley.eventing.binding.HttpBinding;
import im.parley.eventing.catalog.EventCatalog;
import im.parley.eventing.knative.KnativeNames;
import io.cloudevents.CloudEvent;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Sends events to the Knative Kafka Broker's ingress over HTTP, in binary mode, as a function with a sink does:
 * {@code POST <ingress>/<namespace>/<broker>}, the broker being the one the catalog names for the type. The
 * ingress answers 202 once the event is produced; anything else is a failure, with the ingress's reason.
 */
public final class HttpBrokerSink implements BrokerSink {

    /** Knative's ingress for every Kafka Broker of the cluster. */
    public static final URI KNATIVE_INGRESS = URI.create("http://kafka-broker-ingress.knative-eventing.svc.cluster.local");

    private final URI ingress;
    private final String namespace;
    private final Duration timeout;
    private final HttpClient client;

    public HttpBrokerSink(URI ingress, String namespace, Duration timeout) {
        this.ingress = ingress;
        this.namespace = namespace;
        this.timeout = timeout;
        this.client = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    @Override
    public CompletionStage<Void> publish(CloudEvent event) {
        // The catalog, not the typed contract: a product team's type is sent without a Java class of its own.
        String broker = EventCatalog.shared().brokerOf(event.getType()).orElse(null);
        if (broker == null) {
            return CompletableFuture.failedFuture(new IllegalArgumentException(event.getType() + " is not on any broker"));
        }
        HttpBinding.HttpMessage message = HttpBinding.binary(event);
        HttpRequest.Builder request = HttpRequest.newBuilder(ingress.resolve(KnativeNames.brokerIngressPath(namespace, broker)))
                .timeout(timeout).POST(HttpRequest.BodyPublishers.ofByteArray(message.body()));
        message.headers().forEach(request::header);
        return client.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString()).thenApply(response -> {
            if (response.statusCode() != 202) {
                throw new IllegalStateException("broker ingress answered " + response.statusCode() + ": " + response.body());
            }
            return null;
        });
    }

    @Override
    public void close() {
        // The JDK client lets go of its connections when it is no longer referenced.
    }
}
