package im.parley.eventing.runtime;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import im.parley.eventing.binding.HttpBinding;
import io.cloudevents.CloudEvent;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A real HTTP subscriber for tests: records each request (event, headers, arrival time) and answers as the
 * test's script says. Tracks how many requests it handles at once.
 */
final class RecordingSubscriber implements AutoCloseable {

    /** An answer: status, headers and body. */
    record Answer(int status, Map<String, String> headers, byte[] body, Duration delay) {
        static Answer status(int status, String body) {
            return new Answer(status, Map.of("content-type", "text/plain"), body.getBytes(), Duration.ZERO);
        }

        static Answer accepted() {
            return new Answer(202, Map.of(), new byte[0], Duration.ZERO);
        }

        static Answer reply(HttpBinding.HttpMessage message) {
            return new Answer(200, message.headers(), message.body(), Duration.ZERO);
        }

        Answer after(Duration wait) {
            return new Answer(status, headers, body, wait);
        }
    }

    record Received(CloudEvent event, Map<String, String> headers, long nanos) {
    }

    private final HttpServer server;
    final List<Received> received = new CopyOnWriteArrayList<>();
    private final Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();
    private final AtomicInteger concurrent = new AtomicInteger();
    private final AtomicInteger maxConcurrent = new AtomicInteger();
    private volatile Function<Received, Answer> script = r -> Answer.accepted();

    RecordingSubscriber() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/", this::handle);
        server.start();
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
    }

    void answer(Function<Received, Answer> script) {
        this.script = script;
    }

    /** The attempt number (from 1) of this request for its event id. */
    int attempt(Received r) {
        return attempts.get(r.event().getId()).get();
    }

    int maxConcurrent() {
        return maxConcurrent.get();
    }

    List<Received> of(String id) {
        return received.stream().filter(r -> r.event().getId().equals(id)).toList();
    }

    private void handle(HttpExchange exchange) throws IOException {
        int now = concurrent.incrementAndGet();
        maxConcurrent.accumulateAndGet(now, Math::max);
        boolean counted = true;
        try {
            Map<String, String> headers = new HashMap<>();
            exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(), v.get(0)));
            byte[] body = exchange.getRequestBody().readAllBytes();
            Received r = new Received(HttpBinding.read(headers, body), headers, System.nanoTime());
            attempts.computeIfAbsent(r.event().getId(), id -> new AtomicInteger()).incrementAndGet();
            received.add(r);
            Answer answer = script.apply(r);
            if (!answer.delay().isZero()) {
                Thread.sleep(answer.delay().toMillis());
            }
            // Done handling before the answer leaves: the next request may arrive as soon as it does.
            concurrent.decrementAndGet();
            counted = false;
            answer.headers().forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
            exchange.sendResponseHeaders(answer.status(), answer.body().length == 0 ? -1 : answer.body().length);
            if (answer.body().length > 0) {
                exchange.getResponseBody().write(answer.body());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            if (counted) {
                concurrent.decrementAndGet();
            }
            exchange.close();
        }
    }

    List<String> ids() {
        List<String> ids = new ArrayList<>();
        received.forEach(r -> ids.add(r.event().getId()));
        return ids;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
