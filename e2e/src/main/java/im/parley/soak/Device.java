package im.parley.soak;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import im.parley.eventing.EventJson;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * A device as a good SDK runs one: it reconnects with backoff, resends what is not acked with the same clientMsgId
 * (flagged as a resend, backing off per message so a backlog is not multiplied), catches up on every connect and whenever told to, fills a gap from history, and shows a
 * message once per seq. Everything it sends and gets goes to the {@link History}.
 */
final class Device {

    /** A message waits this long for its ack before it is resent, doubling each time up to a minute. */
    static final Duration RESEND_AFTER = Duration.ofSeconds(5);
    static final Duration MAX_RESEND_AFTER = Duration.ofSeconds(60);
    static final Duration MAX_BACKOFF = Duration.ofSeconds(5);

    private record Unacked(String conversation, String content, long sentAt, long waitNanos) {
        Unacked resent(long now) {
            return new Unacked(conversation, content, now, Math.min(MAX_RESEND_AFTER.toNanos(), waitNanos * 2));
        }
    }

    final String user;
    final String id;
    private final HttpClient http;
    private final Supplier<URI> address;
    private final History history;
    private final Map<String, Unacked> unacked = new LinkedHashMap<>();
    /** Per conversation, the seqs this device holds; the cursor is the highest with none missing below it. */
    private final Map<String, TreeSet<Long>> held = new HashMap<>();
    private WebSocket socket;
    private boolean connecting;
    private boolean welcomed;
    private int connection;
    private long nextAttempt;
    private long backoffMillis = 200;
    private int requests;
    private CompletableFuture<?> sending = CompletableFuture.completedFuture(null);
    private final StringBuilder partial = new StringBuilder();
    /** Set for the final read: every message then read is marked as stored. */
    private boolean finalRead;
    private int syncsInFlight;

    Device(String user, String device, HttpClient http, Supplier<URI> address, History history) {
        this.user = user;
        this.id = user + "/" + device;
        this.http = http;
        this.address = address;
        this.history = history;
    }

    synchronized int unacked() {
        return unacked.size();
    }

    synchronized boolean idle() {
        return welcomed && syncsInFlight == 0;
    }

    synchronized void send(String conversation, String clientMsgId, String content) {
        unacked.put(conversation + "/" + clientMsgId, new Unacked(conversation, content, System.nanoTime(),
                RESEND_AFTER.toNanos()));
        history.write(history.record("send").put("dev", id).put("conv", conversation).put("cmid", clientMsgId)
                .put("content", content));
        if (welcomed) {
            write(sendFrame(conversation, clientMsgId, content, false));
        }
    }

    /** Reconnects when due, resends what waited too long for its ack. Called about once a second. */
    synchronized void tick() {
        long now = System.nanoTime();
        if (socket == null && !connecting && now >= nextAttempt) {
            connect();
        }
        if (!welcomed) {
            return;
        }
        for (Map.Entry<String, Unacked> e : unacked.entrySet()) {
            Unacked u = e.getValue();
            if (now - u.sentAt() > u.waitNanos()) {
                String clientMsgId = e.getKey().substring(u.conversation().length() + 1);
                write(sendFrame(u.conversation(), clientMsgId, u.content(), true));
                e.setValue(u.resent(now));
            }
        }
    }

    /** The last read, once traffic has stopped: everything stored, from the start of each conversation. */
    synchronized void readEverything(Iterable<String> conversations) {
        finalRead = true;
        for (String conversation : conversations) {
            history(conversation, 0);
        }
    }

    private void connect() {
        connecting = true;
        int n = ++connection;
        http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5)).buildAsync(address.get(), new Listener(n))
                .whenComplete((ws, failure) -> {
                    synchronized (Device.this) {
                        connecting = false;
                        if (failure != null) {
                            retryLater();
                        } else {
                            socket = ws;
                            history.write(history.record("connect").put("dev", id).put("conn", n));
                        }
                    }
                });
    }

    private void retryLater() {
        socket = null;
        welcomed = false;
        syncsInFlight = 0;
        sending = CompletableFuture.completedFuture(null);
        nextAttempt = System.nanoTime() + backoffMillis * 1_000_000;
        backoffMillis = Math.min(MAX_BACKOFF.toMillis(), backoffMillis * 2);
    }

    private void handle(int conn, JsonNode frame) {
        String t = frame.path("t").asText();
        JsonNode d = frame.path("d");
        switch (t) {
            case "welcome" -> {
                welcomed = true;
                backoffMillis = 200;
                catchUp();
                for (Map.Entry<String, Unacked> e : unacked.entrySet()) {
                    Unacked u = e.getValue();
                    write(sendFrame(u.conversation(), e.getKey().substring(u.conversation().length() + 1), u.content(), true));
                    e.setValue(u.resent(System.nanoTime()));
                }
            }
            case "ack" -> {
                unacked.remove(d.path("conversationId").asText() + "/" + d.path("clientMsgId").asText());
                history.write(history.record("ack").put("dev", id).put("conn", conn).put("conv", d.path("conversationId").asText())
                        .put("cmid", d.path("clientMsgId").asText()).put("seq", d.path("serverSeq").asLong()));
            }
            case "msg" -> {
                String conversation = d.path("conversationId").asText();
                long seq = d.path("serverSeq").asLong();
                history.write(message("msg", d).put("conn", conn));
                long cursor = cursor(conversation);
                hold(conversation, seq);
                if (seq > cursor + 1) {
                    history.write(history.record("gap").put("dev", id).put("conv", conversation).put("after", cursor)
                            .put("seq", seq));
                    history(conversation, cursor);
                }
            }
            case "sync" -> {
                syncsInFlight = Math.max(0, syncsInFlight - 1);
                for (JsonNode m : d.path("messages")) {
                    history.write(message("sync", m).put("final", finalRead));
                    hold(m.path("conversationId").asText(), m.path("serverSeq").asLong());
                }
                if (d.path("hasMore").asBoolean()) {
                    if (d.path("requestId").asText().startsWith("cu-")) {
                        catchUp();
                    } else {
                        JsonNode last = d.path("messages").get(d.path("messages").size() - 1);
                        history(last.path("conversationId").asText(), last.path("serverSeq").asLong());
                    }
                }
            }
            case "resync" -> catchUp();
            case "error" -> history.write(history.record("error").put("dev", id).put("conn", conn)
                    .put("code", d.path("code").asText()).put("cmid", d.path("clientMsgId").asText()));
            default -> {
                // presence, receipts, reconnect (the close follows), pong
            }
        }
    }

    private ObjectNode message(String kind, JsonNode m) {
        return history.record(kind).put("dev", id).put("conv", m.path("conversationId").asText())
                .put("seq", m.path("serverSeq").asLong()).put("cmid", m.path("clientMsgId").asText())
                .put("content", m.path("content").asText());
    }

    private void hold(String conversation, long seq) {
        held.computeIfAbsent(conversation, c -> new TreeSet<>()).add(seq);
    }

    private long cursor(String conversation) {
        TreeSet<Long> seqs = held.get(conversation);
        if (seqs == null) {
            return 0;
        }
        long cursor = 0;
        for (Iterator<Long> it = seqs.iterator(); it.hasNext(); ) {
            long s = it.next();
            if (s != cursor + 1) {
                break;
            }
            cursor = s;
        }
        return cursor;
    }

    private void catchUp() {
        ObjectNode cursors = EventJson.MAPPER.createObjectNode();
        held.keySet().forEach(c -> cursors.put(c, cursor(c)));
        ObjectNode d = EventJson.MAPPER.createObjectNode().put("requestId", "cu-" + ++requests).put("kind", "catch-up");
        d.set("cursors", cursors);
        syncsInFlight++;
        write(EventJson.MAPPER.createObjectNode().put("v", 1).put("t", "sync").set("d", d).toString());
    }

    private void history(String conversation, long after) {
        ObjectNode d = EventJson.MAPPER.createObjectNode().put("requestId", "h-" + ++requests).put("kind", "history")
                .put("conversationId", conversation).put("afterSeq", after).put("limit", 200);
        syncsInFlight++;
        write(EventJson.MAPPER.createObjectNode().put("v", 1).put("t", "sync").set("d", d).toString());
    }

    static String sendFrame(String conversation, String clientMsgId, String content, boolean resend) {
        ObjectNode d = EventJson.MAPPER.createObjectNode().put("conversationId", conversation).put("clientMsgId", clientMsgId)
                .put("contentType", "text").put("content", content);
        if (resend) {
            d.put("resend", true);
        }
        return EventJson.MAPPER.createObjectNode().put("v", 1).put("t", "send").set("d", d).toString();
    }

    /** One frame at a time on the socket, as the JDK's WebSocket requires; a failed send is left to the resend timer. */
    private void write(String frame) {
        WebSocket ws = socket;
        if (ws == null) {
            return;
        }
        sending = sending.handle((ok, failure) -> null).thenCompose(v -> ws.sendText(frame, true)).exceptionally(f -> null);
    }

    private final class Listener implements WebSocket.Listener {
        private final int conn;

        Listener(int conn) {
            this.conn = conn;
        }

        @Override
        public void onOpen(WebSocket ws) {
            ws.request(1);
        }

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            synchronized (Device.this) {
                partial.append(data);
                if (last) {
                    try {
                        JsonNode frame = EventJson.MAPPER.readTree(partial.toString());
                        if (connection == conn) {
                            handle(conn, frame);
                        }
                    } catch (Exception e) {
                        history.write(history.record("error").put("dev", id).put("conn", conn).put("code", "unreadable frame"));
                    }
                    partial.setLength(0);
                }
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int status, String reason) {
            closed("close " + status + " " + reason);
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            closed("error " + error);
        }

        private void closed(String why) {
            synchronized (Device.this) {
                if (connection == conn) {
                    history.write(history.record("disconnect").put("dev", id).put("conn", conn).put("why", why));
                    partial.setLength(0);
                    retryLater();
                }
            }
        }
    }
}
