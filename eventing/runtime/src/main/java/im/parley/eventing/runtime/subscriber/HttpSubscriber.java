package im.parley.eventing.runtime.subscriber;

import im.parley.eventing.InvalidEventException;
import im.parley.eventing.binding.HttpBinding;
import io.cloudevents.CloudEvent;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * A subscriber called as Knative's dispatcher calls a Knative Service: a binary-mode POST with
 * {@code Prefer: reply}. A 2xx body is read as the reply event, in binary or structured mode.
 */
public final class HttpSubscriber implements Subscriber {

    /** Stands for a 2xx answer whose body is not a CloudEvent: a failed attempt, retried like a 5xx. */
    public static final int UNREADABLE_REPLY = 502;

    private final URI uri;
    private final HttpClient client;

    public HttpSubscriber(URI uri, HttpClient client) {
        this.uri = uri;
        this.client = client;
    }

    @Override
    public CompletionStage<SubscriberResponse> deliver(CloudEvent event, Duration timeout) {
        HttpBinding.HttpMessage message = HttpBinding.binary(event);
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .POST(HttpRequest.BodyPublishers.ofByteArray(message.body()))
                .header("Prefer", "reply");
        message.headers().forEach(request::header);
        if (timeout != null) {
            request.timeout(timeout);
        }
        return client.sendAsync(request.build(), HttpResponse.BodyHandlers.ofByteArray())
                .thenApply(HttpSubscriber::read)
                .exceptionally(e -> SubscriberResponse.failed(uri + ": " + (e.getCause() == null ? e : e.getCause())));
    }

    static SubscriberResponse read(HttpResponse<byte[]> response) {
        int status = response.statusCode();
        byte[] body = response.body();
        if (status < 200 || status >= 300 || body.length == 0) {
            return new SubscriberResponse(status, null, body);
        }
        Map<String, String> headers = new HashMap<>();
        response.headers().map().forEach((name, values) -> headers.put(name, values.get(0)));
        try {
            return new SubscriberResponse(status, HttpBinding.read(headers, body), body);
        } catch (InvalidEventException e) {
            return new SubscriberResponse(UNREADABLE_REPLY, null, body);
        }
    }
}
