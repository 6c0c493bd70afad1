package im.parley.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import im.parley.eventing.EventJson;
import im.parley.eventing.schema.EventSchemas;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A client socket for full-stack tests: it keeps every frame it receives, in order, and holds each one to the
 * protocol's frame schema as the test reads it, so every full-stack test checks every frame it sees.
 */
final class Socket implements AutoCloseable {

    static final Duration WAIT = Duration.ofSeconds(30);
    /** One client (one selector thread) for every socket, so a test can hold a thousand of them. */
    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    private final WebSocket ws;
    private final BlockingQueue<JsonNode> frames = new LinkedBlockingQueue<>();
    private final java.util.concurrent.CompletableFuture<Integer> closed = new java.util.concurrent.CompletableFuture<>();

    private Socket(int port, String token, String device) throws Exception {
        StringBuilder partial = new StringBuilder();
        ws = CLIENT.newWebSocketBuilder()
                .buildAsync(URI.create("ws://127.0.0.1:" + port + "/ws?device=" + device + "&token=" + token),
                        new WebSocket.Listener() {
                            @Override
                            public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
                                partial.append(data);
                                if (last) {
                                    try {
                                        frames.add(EventJson.MAPPER.readTree(partial.toString()));
                                    } catch (Exception e) {
                                        throw new IllegalStateException("not JSON: " + partial, e);
                                    }
                                    partial.setLength(0);
                                }
                                w.request(1);
                                return null;
                            }

                            @Override
                            public CompletionStage<?> onClose(WebSocket w, int statusCode, String reason) {
                                closed.complete(statusCode);
                                return null;
                            }

                            @Override
                            public void onError(WebSocket w, Throwable error) {
                                closed.complete(-1);
                            }
                        }).get(10, TimeUnit.SECONDS);
    }

    /** Connected, without waiting for the welcome. */
    static Socket connect(int port, String token, String device) throws Exception {
        return new Socket(port, token, device);
    }

    /** Connected and welcomed. */
    static Socket open(int port, String token, String device) throws Exception {
        Socket socket = new Socket(port, token, device);
        socket.await("welcome");
        return socket;
    }

    /** The frame as it is; one off the protocol's schema fails the test. */
    private static JsonNode checked(JsonNode frame) {
        if (frame != null) {
            List<String> violations = EventSchemas.frameViolations(frame);
            if (!violations.isEmpty()) {
                throw new AssertionError("frame off the protocol " + violations + ": " + frame);
            }
        }
        return frame;
    }

    void send(String frame) throws Exception {
        ws.sendText(frame, true).get(10, TimeUnit.SECONDS);
    }

    /** The next frame of this type; frames of other types before it are dropped. */
    JsonNode await(String type) throws InterruptedException {
        return await(type, WAIT);
    }

    /** The same, waiting as long as given. */
    JsonNode await(String type, Duration wait) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode frame = checked(frames.poll(100, TimeUnit.MILLISECONDS));
            if (frame != null && frame.path("t").asText().equals(type)) {
                return frame;
            }
        }
        throw new AssertionError("no '" + type + "' frame within " + wait);
    }

    /** The next frame of this type whose data has this field at this value; other frames before it are dropped. */
    JsonNode await(String type, String field, String value) throws InterruptedException {
        return await(type, field, value, WAIT);
    }

    /** The same, waiting as long as given. */
    JsonNode await(String type, String field, String value, Duration wait) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode frame = checked(frames.poll(100, TimeUnit.MILLISECONDS));
            if (frame != null && frame.path("t").asText().equals(type) && frame.path("d").path(field).asText().equals(value)) {
                return frame;
            }
        }
        throw new AssertionError("no '" + type + "' frame with " + field + " " + value + " within " + wait);
    }

    /** Frames of the given types until {@code count} of them arrived, in order. */
    List<JsonNode> collect(int count, String... types) throws InterruptedException {
        List<String> wanted = List.of(types);
        List<JsonNode> got = new ArrayList<>();
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (got.size() < count && System.nanoTime() < deadline) {
            JsonNode frame = checked(frames.poll(100, TimeUnit.MILLISECONDS));
            if (frame != null && wanted.contains(frame.path("t").asText())) {
                got.add(frame);
            }
        }
        if (got.size() < count) {
            throw new AssertionError("only " + got.size() + " of " + count + " " + wanted + " frames within " + WAIT);
        }
        return got;
    }

    /**
     * Sends each {@code send} frame (by clientMsgId) and resends, as the protocol asks, any the tier answered
     * {@code unavailable}, until every one is acked; any other error fails. The first ack of each, in arrival
     * order (a resent frame the broker had taken after all is acked again, with the same seq).
     */
    List<JsonNode> sendUntilAcked(Map<String, String> sends) throws Exception {
        for (String frame : sends.values()) {
            send(frame);
        }
        Map<String, JsonNode> acks = new LinkedHashMap<>();
        int resent = 0;
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (acks.size() < sends.size() && System.nanoTime() < deadline) {
            JsonNode frame = checked(frames.poll(100, TimeUnit.MILLISECONDS));
            if (frame == null) {
                continue;
            }
            String t = frame.path("t").asText();
            if (t.equals("ack")) {
                acks.putIfAbsent(frame.path("d").path("clientMsgId").asText(), frame);
            } else if (t.equals("error")) {
                String id = frame.path("d").path("clientMsgId").asText();
                if (!frame.path("d").path("code").asText().equals("unavailable") || !sends.containsKey(id)) {
                    throw new AssertionError("refused: " + frame);
                }
                resent++;
                send(sends.get(id));
            }
        }
        if (acks.size() < sends.size()) {
            throw new AssertionError("only " + acks.size() + " of " + sends.size() + " acked within " + WAIT
                    + " (" + resent + " resent)");
        }
        return List.copyOf(acks.values());
    }

    /** Whatever arrives within the wait, of the given types. */
    List<JsonNode> drain(Duration wait, String... types) throws InterruptedException {
        List<String> wanted = List.of(types);
        List<JsonNode> got = new ArrayList<>();
        long deadline = System.nanoTime() + wait.toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode frame = checked(frames.poll(50, TimeUnit.MILLISECONDS));
            if (frame != null && wanted.contains(frame.path("t").asText())) {
                got.add(frame);
            }
        }
        return got;
    }

    /** What has arrived so far, of the given types, without waiting. */
    List<JsonNode> received(String... types) {
        List<String> wanted = List.of(types);
        List<JsonNode> got = new ArrayList<>();
        for (JsonNode frame = checked(frames.poll()); frame != null; frame = checked(frames.poll())) {
            if (wanted.contains(frame.path("t").asText())) {
                got.add(frame);
            }
        }
        return got;
    }

    /** The close code the server sent, or -1 when the connection broke without one. */
    int awaitClose(Duration wait) throws Exception {
        return closed.get(wait.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        ws.abort();
    }
}
