package im.parley.eventing.runtime.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.function.BooleanSupplier;

/** {@code /metrics} for Prometheus and {@code /health/live}, {@code /health/ready} for probes. */
public final class MetricsServer implements AutoCloseable {

    private final HttpServer server;

    public MetricsServer(String host, int port, RuntimeMetrics metrics, BooleanSupplier ready) {
        try {
            server = HttpServer.create(new InetSocketAddress(host, port), 0);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on " + host + ":" + port, e);
        }
        server.createContext("/metrics", exchange -> respond(exchange, 200, metrics.scrape(), "text/plain; version=0.0.4"));
        server.createContext("/health/live", exchange -> respond(exchange, 200, "ok", "text/plain"));
        server.createContext("/health/ready", exchange -> respond(exchange, ready.getAsBoolean() ? 200 : 503,
                ready.getAsBoolean() ? "ready" : "starting", "text/plain"));
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private static void respond(HttpExchange exchange, int status, String body, String contentType) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
