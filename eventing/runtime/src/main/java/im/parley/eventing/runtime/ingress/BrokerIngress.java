package im.parley.eventing.runtime.ingress;

import im.parley.eventing.InvalidEventException;
import im.parley.eventing.binding.HttpBinding;
import im.parley.eventing.runtime.dispatch.Outbound;
import im.parley.eventing.runtime.identity.SenderIdentity;
import io.cloudevents.CloudEvent;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The brokers' HTTP ingress, as the Knative Kafka Broker's: {@code POST /<namespace>/<broker>} with a CloudEvent
 * in binary or structured mode is produced to that broker's topic, keyed by its partitionkey, and answered 202
 * once Kafka has it (acks=all). A broker that does not exist is 404, a body that is not a CloudEvent 400, Kafka
 * not taking it 503: the sender keeps the event and retries.
 */
public final class BrokerIngress implements AutoCloseable {

    /** Knative's ingress takes events up to this size by default; larger ones would not fit a Kafka record either. */
    static final int MAX_BODY = 1 << 20;

    private final Map<String, String> brokerTopics;
    private final Outbound outbound;
    private final HttpServer server;
    private volatile SenderIdentity issuer;

    /** @param brokerTopics each broker's topic, by namespace/name */
    public BrokerIngress(Vertx vertx, String host, int port, Map<String, String> brokerTopics, Outbound outbound) {
        this.brokerTopics = Map.copyOf(brokerTopics);
        this.outbound = outbound;
        this.server = vertx.createHttpServer(new HttpServerOptions().setHost(host).setPort(port)).requestHandler(this::handle);
        try {
            server.listen().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("broker ingress cannot listen on " + host + ":" + port + ": " + e, e);
        }
    }

    public URI uri() {
        return URI.create("http://127.0.0.1:" + server.actualPort());
    }

    /** Also serves the sender identity issuer's discovery document and keys (GET), as a cluster's API server does. */
    public void serveIssuer(SenderIdentity identity) {
        this.issuer = identity;
    }

    private void handle(HttpServerRequest request) {
        SenderIdentity identity = issuer;
        if (identity != null && request.method() == HttpMethod.GET
                && (request.path().equals(SenderIdentity.JWKS_PATH) || request.path().equals(SenderIdentity.DISCOVERY_PATH))) {
            request.response().setStatusCode(200).putHeader("content-type", "application/json")
                    .end(request.path().equals(SenderIdentity.JWKS_PATH) ? identity.jwks() : identity.discovery());
            return;
        }
        if (request.method() != HttpMethod.POST) {
            respond(request, 405, "only POST is accepted");
            return;
        }
        String topic = brokerTopics.get(request.path().replaceFirst("^/", "").replaceFirst("/$", ""));
        if (topic == null) {
            respond(request, 404, "no broker at " + request.path() + "; brokers: " + brokerTopics.keySet());
            return;
        }
        String length = request.getHeader("content-length");
        if (length != null && length.length() < 12 && Long.parseLong(length) > MAX_BODY) {
            respond(request, 413, "event larger than " + MAX_BODY + " bytes");
            return;
        }
        request.body().onSuccess(body -> {
            if (body.length() > MAX_BODY) {
                respond(request, 413, "event larger than " + MAX_BODY + " bytes");
                return;
            }
            CloudEvent event;
            try {
                Map<String, String> headers = new HashMap<>();
                request.headers().forEach(h -> headers.put(h.getKey(), h.getValue()));
                event = HttpBinding.read(headers, body.getBytes());
            } catch (InvalidEventException e) {
                respond(request, 400, e.getMessage());
                return;
            }
            outbound.send(topic, event).whenComplete((ok, failure) -> {
                if (failure == null) {
                    respond(request, 202, "");
                } else {
                    respond(request, 503, "the broker did not take the event: " + failure.getMessage());
                }
            });
        }).onFailure(failure -> respond(request, 400, "request body not read: " + failure.getMessage()));
    }

    private static void respond(HttpServerRequest request, int status, String reason) {
        request.response().setStatusCode(status).putHeader("content-type", "text/plain; charset=utf-8").end(reason);
    }

    @Override
    public void close() {
        server.close().toCompletionStage().toCompletableFuture().orTimeout(10, TimeUnit.SECONDS).join();
    }
}
