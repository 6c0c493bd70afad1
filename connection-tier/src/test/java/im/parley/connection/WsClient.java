package im.parley.connection;

import com.fasterxml.jackson.databind.JsonNode;
import im.parley.eventing.EventJson;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** A real WebSocket client (the JDK's) that records every frame and the close code. */
final class WsClient implements AutoCloseable {

    record Closed(int code, String reason) {
    }

    private final LinkedBlockingQueue<JsonNode> frames = new LinkedBlockingQueue<>();
    private final CompletableFuture<Closed> closed = new CompletableFuture<>();
    private final WebSocket socket;

    private WsClient(URI uri) throws Exception {
        this.socket = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5))
                .buildAsync(uri, new WebSocket.Listener() {
                    private final StringBuilder partial = new StringBuilder();

                    @Override
                    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                        partial.append(data);
                        if (last) {
                            try {
                                frames.add(EventJson.MAPPER.readTree(partial.toString()));
                            } catch (Exception e) {
                                throw new IllegalStateException(e);
                            }
                            partial.setLength(0);
                        }
                        ws.request(1);
                        return null;
                    }

                    @Override
                    public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
                        closed.complete(new Closed(statusCode, reason));
                        return null;
                    }

                    @Override
                    public void onError(WebSocket ws, Throwable error) {
                        closed.complete(new Closed(-1, error.toString()));
                    }
                }).get(10, TimeUnit.SECONDS);
    }

    static WsClient connect(int port, String query) throws Exception {
        return new WsClient(URI.create("ws://127.0.0.1:" + port + "/ws?" + query));
    }

    void send(String text) {
        socket.sendText(text, true).join();
    }

    /** Sends unless the server has already closed the connection; returns whether it was sent. */
    boolean trySend(String text) {
        try {
            socket.sendText(text, true).join();
            return true;
        } catch (java.util.concurrent.CompletionException closedMeanwhile) {
            return false;
        }
    }

    /** The next frame matching, skipping others; fails after the timeout. */
    JsonNode await(Predicate<JsonNode> match, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<JsonNode> skipped = new ArrayList<>();
        while (System.nanoTime() < deadline) {
            JsonNode frame = frames.poll(20, TimeUnit.MILLISECONDS);
            if (frame != null) {
                if (match.test(frame)) {
                    return frame;
                }
                skipped.add(frame);
            }
        }
        throw new AssertionError("no matching frame within " + timeout + "; got " + skipped);
    }

    JsonNode awaitType(String t) throws InterruptedException {
        return await(f -> t.equals(f.path("t").asText()), Duration.ofSeconds(10));
    }

    /** Frames that arrive within the window. */
    List<JsonNode> drain(Duration window) throws InterruptedException {
        List<JsonNode> got = new ArrayList<>();
        long deadline = System.nanoTime() + window.toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode frame = frames.poll(20, TimeUnit.MILLISECONDS);
            if (frame != null) {
                got.add(frame);
            }
        }
        return got;
    }

    Closed awaitClose(Duration timeout) throws Exception {
        return closed.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    boolean isOpen() {
        return !closed.isDone();
    }

    @Override
    public void close() {
        if (!socket.isOutputClosed()) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").orTimeout(2, TimeUnit.SECONDS).exceptionally(e -> null).join();
        }
        socket.abort();
    }
}
