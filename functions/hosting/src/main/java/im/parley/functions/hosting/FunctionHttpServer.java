package im.parley.functions.hosting;

import im.parley.eventing.Attempt;
import im.parley.eventing.InvalidEventException;
import im.parley.eventing.Readiness;
import im.parley.eventing.binding.HttpBinding;
import im.parley.eventing.tracing.Tracing;
import io.cloudevents.CloudEvent;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * A function as a Knative Service: a POST of one CloudEvent (binary or structured mode) to {@code /}. A reply
 * comes back as 200 with the event in binary mode, no reply as 202 with an empty body, a refused event as 400
 * and a failure as 500, each with the reason as text. Only the broker's dispatcher may send ({@link EventSenders}):
 * any other request is 401. Knative sets {@code PORT}. Beside it: {@code /health/live}, {@code /health/ready} (the
 * function's stores answer) and {@code /metrics} (Prometheus).
 *
 * <p>Each request is one {@link Attempt}: it is abandoned when the dispatcher closes the connection (its timeout)
 * or when its budget ({@code PARLEY_ATTEMPT_BUDGET}) is spent, counted from its arrival, so that a request that
 * waited for a worker thread past its sender's timeout never starts, and one that outlived it writes nothing more.
 */
public final class FunctionHttpServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(FunctionHttpServer.class);
    static final int MAX_BODY_BYTES = 1 << 20;
    /** Within the Triggers' 10 s timeout. */
    public static final Duration DEFAULT_ATTEMPT_BUDGET = Attempt.budgetWithin(Duration.ofSeconds(10));

    /** How long {@code /health/ready} waits for each of the function's stores. */
    static final Duration PROBE_TIMEOUT = Duration.ofSeconds(2);

    private final Vertx vertx;
    private final HttpServer server;
    private final FunctionApplication function;
    private final FunctionMetrics metrics;

    private FunctionHttpServer(Vertx vertx, HttpServer server, FunctionApplication function, FunctionMetrics metrics) {
        this.vertx = vertx;
        this.server = server;
        this.function = function;
        this.metrics = metrics;
    }

    /**
     * Serves the function with up to {@code concurrency} events handled at once (Knative's containerConcurrency),
     * from the senders {@code senders} lets through (401 for any other).
     */
    public static FunctionHttpServer start(FunctionApplication function, String host, int port, int concurrency,
                                           EventSenders senders) {
        return start(function, host, port, concurrency, senders, DEFAULT_ATTEMPT_BUDGET);
    }

    /** @param attemptBudget how long after its arrival an event may still be written for */
    public static FunctionHttpServer start(FunctionApplication function, String host, int port, int concurrency,
                                           EventSenders senders, Duration attemptBudget) {
        Vertx vertx = Vertx.vertx(new VertxOptions().setWorkerPoolSize(concurrency));
        HttpServer server = vertx.createHttpServer(new HttpServerOptions().setHost(host).setPort(port)
                .setMaxInitialLineLength(8192));
        FunctionMetrics metrics = new FunctionMetrics(function.descriptor().service());
        server.requestHandler(request -> handle(vertx, function, senders, attemptBudget, metrics, request));
        try {
            server.listen().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            vertx.close();
            throw new IllegalStateException("function " + function.descriptor().service() + ": cannot listen on "
                    + host + ":" + port + ": " + e.getMessage(), e);
        }
        return new FunctionHttpServer(vertx, server, function, metrics);
    }

    public int port() {
        return server.actualPort();
    }

    private static void handle(Vertx vertx, FunctionApplication function, EventSenders senders, Duration attemptBudget,
                               FunctionMetrics metrics, HttpServerRequest request) {
        String path = request.path();
        long arrived = System.nanoTime();
        if (request.method() == HttpMethod.GET && path.equals("/health/live")) {
            request.response().setStatusCode(200).end("ok");
            return;
        }
        if (request.method() == HttpMethod.GET && path.equals("/health/ready")) {
            ready(function, request.response());
            return;
        }
        if (request.method() == HttpMethod.GET && path.equals("/metrics")) {
            request.response().putHeader("content-type", "text/plain; version=0.0.4; charset=utf-8").end(metrics.scrape());
            return;
        }
        if (!path.equals("/")) {
            text(request.response(), 404, "no such path: " + path);
            return;
        }
        if (request.method() != HttpMethod.POST) {
            text(request.response(), 405, "POST a CloudEvent to /");
            return;
        }
        String refusal = senders.refusal(request.getHeader("authorization"));
        if (refusal != null) {
            request.response().putHeader("www-authenticate", "Bearer");
            text(request.response(), 401, refusal);
            return;
        }
        String length = request.getHeader("content-length");
        if (length != null && parse(length) > MAX_BODY_BYTES) {
            text(request.response(), 413, "event larger than " + MAX_BODY_BYTES + " bytes");
            return;
        }
        Attempt attempt = Attempt.start(attemptBudget);
        request.response().closeHandler(closed -> attempt.abandon("the sender closed the connection"));
        request.body().onSuccess(body -> {
            CloudEvent event;
            try {
                event = HttpBinding.read(headers(request), body.getBytes());
            } catch (InvalidEventException e) {
                metrics.record(request.getHeader("ce-type"), FunctionMetrics.Outcome.REFUSED, System.nanoTime() - arrived);
                text(request.response(), 400, e.getMessage());
                return;
            }
            // The CloudEvents distributed-tracing extension, else the HTTP header the dispatcher propagates.
            Object extension = event.getExtension("traceparent");
            String trace = traceId(extension != null ? extension.toString() : request.getHeader("traceparent"));
            vertx.<CloudEvent>executeBlocking(() -> {
                logContext(event, trace);
                try {
                    return attempt.run(() -> function.apply(event));
                } finally {
                    MDC.clear();
                }
            }, false).onComplete(result -> {
                HttpServerResponse response = request.response();
                if (result.failed()) {
                    int status = FunctionFailures.status(result.cause());
                    if (status >= 500) {
                        logContext(event, trace);
                        LOG.warn("function {} failed on event {}", function.descriptor().service(), event.getId(), result.cause());
                        MDC.clear();
                    }
                    metrics.record(event.getType(), status >= 500 ? FunctionMetrics.Outcome.FAILED : FunctionMetrics.Outcome.REFUSED,
                            System.nanoTime() - arrived);
                    text(response, status, FunctionFailures.reason(result.cause()));
                } else if (result.result() == null) {
                    metrics.record(event.getType(), FunctionMetrics.Outcome.NO_REPLY, System.nanoTime() - arrived);
                    response.setStatusCode(202).end();
                } else {
                    metrics.record(event.getType(), FunctionMetrics.Outcome.REPLIED, System.nanoTime() - arrived);
                    HttpBinding.HttpMessage reply = HttpBinding.binary(result.result());
                    reply.headers().forEach(response::putHeader);
                    response.setStatusCode(200).end(Buffer.buffer(reply.body()));
                }
            });
        }).onFailure(e -> text(request.response(), 400, "unreadable body: " + e.getMessage()));
    }

    /** 200 once every store the function uses answers a cheap request within {@link #PROBE_TIMEOUT}, else 503 naming it. */
    private static void ready(FunctionApplication function, HttpServerResponse response) {
        List<Readiness> checks = List.copyOf(function.readiness());
        List<CompletableFuture<String>> probes = checks.stream().map(check -> probe(check)
                .orTimeout(PROBE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                .handle((ok, failure) -> failure == null ? null : check.dependency() + ": " + describe(failure))).toList();
        CompletableFuture.allOf(probes.toArray(CompletableFuture[]::new)).whenComplete((done, ignored) -> {
            List<String> failing = probes.stream().map(CompletableFuture::join).filter(java.util.Objects::nonNull).toList();
            if (failing.isEmpty()) {
                text(response, 200, "ready");
            } else {
                text(response, 503, "not ready: " + String.join("; ", failing));
            }
        });
    }

    /** A probe that throws (a closed client) fails like one that answers with an error. */
    private static CompletableFuture<?> probe(Readiness check) {
        try {
            return check.probe().toCompletableFuture();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private static String describe(Throwable failure) {
        Throwable cause = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        return cause instanceof java.util.concurrent.TimeoutException ? "no answer within " + PROBE_TIMEOUT.toMillis() + " ms"
                : String.valueOf(cause.getMessage());
    }

    /** Every line logged while handling an event names it and its trace (W3C trace context); MDC.clear() ends it. */
    private static void logContext(CloudEvent event, String trace) {
        MDC.put("eventId", event.getId());
        MDC.put("eventType", event.getType());
        if (trace != null) {
            MDC.put("traceId", trace);
        }
    }

    /** The trace id of a W3C {@code traceparent} (version-traceid-parentid-flags), or null. */
    static String traceId(String traceparent) {
        if (traceparent == null) {
            return null;
        }
        String[] parts = traceparent.trim().split("-");
        return parts.length == 4 && parts[1].matches("[0-9a-f]{32}") ? parts[1] : null;
    }

    private static Map<String, String> headers(HttpServerRequest request) {
        Map<String, String> headers = new HashMap<>();
        request.headers().forEach(h -> headers.put(h.getKey(), h.getValue()));
        return headers;
    }

    private static long parse(String number) {
        try {
            return Long.parseLong(number.trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static void text(HttpServerResponse response, int status, String message) {
        response.setStatusCode(status).putHeader("content-type", "text/plain; charset=utf-8").end(message);
    }

    @Override
    public void close() {
        vertx.close().toCompletionStage().toCompletableFuture().orTimeout(10, TimeUnit.SECONDS).join();
        function.close();
        metrics.close();
    }

    /** Starts the one function on the class path (or the one named by {@code PARLEY_FUNCTION}) on {@code PORT}. */
    public static void main(String[] args) {
        List<FunctionDescriptor> descriptors = FunctionDescriptor.discover(FunctionHttpServer.class.getClassLoader());
        String wanted = System.getenv("PARLEY_FUNCTION");
        FunctionDescriptor descriptor = descriptors.stream()
                .filter(d -> wanted == null || d.service().equals(wanted))
                .reduce((a, b) -> {
                    throw new IllegalStateException("several functions on the class path; set PARLEY_FUNCTION to one of "
                            + descriptors.stream().map(FunctionDescriptor::service).toList());
                })
                .orElseThrow(() -> new IllegalStateException("no function descriptor (" + FunctionDescriptor.RESOURCE
                        + ") on the class path" + (wanted == null ? "" : " for " + wanted)));
        Tracing.install("parley-" + descriptor.service());
        int port = Integer.parseInt(System.getenv().getOrDefault("PORT", "8080"));
        int concurrency = Integer.parseInt(System.getenv().getOrDefault("PARLEY_FUNCTION_CONCURRENCY", "32"));
        EventSenders senders = EventSenders.fromSettings(System.getenv());
        Duration budget = Duration.parse(System.getenv().getOrDefault("PARLEY_ATTEMPT_BUDGET", DEFAULT_ATTEMPT_BUDGET.toString()));
        FunctionApplication function = FunctionApplication.start(descriptor, Map.of());
        FunctionHttpServer server = start(function, "0.0.0.0", port, concurrency, senders, budget);
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "function-shutdown"));
        LOG.info("function {} listening on {} (context started in {} ms)", descriptor.service(), server.port(),
                function.startup().toMillis());
    }
}
