package im.parley.eventing.runtime.subscriber;

import im.parley.eventing.InvalidEventException;
import im.parley.eventing.binding.HttpBinding;
import io.cloudevents.CloudEvent;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * A subscriber called as Knative's dispatcher calls a Knative Service: a binary-mode POST with
 * {@code Prefer: reply}, on a pooled keep-alive Vert.x client as in Knative's own data plane. A 2xx body is
 * read as the reply event, in binary or structured mode.
 */
public final class HttpSubscriber implements Subscriber {

    /** Stands for a 2xx answer whose body is not a CloudEvent: a failed attempt, retried like a 5xx. */
    public static final int UNREADABLE_REPLY = 502;

    private final URI uri;
    private final HttpClient client;
    private final Supplier<String> token;

    /** @param token the sender's OIDC token for the subscriber's audience, sent as a bearer token; null for none */
    public HttpSubscriber(URI uri, HttpClient client, Supplier<String> token) {
        this.uri = uri;
        this.client = client;
        this.token = token;
    }

    @Override
    public CompletionStage<SubscriberResponse> deliver(CloudEvent event, Duration timeout) {
        HttpBinding.HttpMessage message = HttpBinding.binary(event);
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setAbsoluteURI(uri.toString());
        if (timeout != null) {
            options.setIdleTimeout(timeout.toMillis());
        }
        message.headers().forEach(options::putHeader);
        options.putHeader("Prefer", "reply");
        if (token != null) {
            options.putHeader("Authorization", "Bearer " + token.get());
        }
        return client.request(options)
                .compose(request -> request.send(Buffer.buffer(message.body())))
                .compose(response -> response.body().map(body -> read(response.statusCode(), response.headers(), body.getBytes())))
                .otherwise(failure -> SubscriberResponse.failed(uri + ": " + failure))
                .toCompletionStage();
    }

    static SubscriberResponse read(int status, MultiMap responseHeaders, byte[] body) {
        if (status < 200 || status >= 300 || body.length == 0) {
            return new SubscriberResponse(status, null, body);
        }
        Map<String, String> headers = new HashMap<>();
        responseHeaders.forEach(h -> headers.putIfAbsent(h.getKey(), h.getValue()));
        try {
            return new SubscriberResponse(status, HttpBinding.read(headers, body), body);
        } catch (InvalidEventException e) {
            return new SubscriberResponse(UNREADABLE_REPLY, null, body);
        }
    }
}
