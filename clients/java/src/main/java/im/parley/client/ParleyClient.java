package im.parley.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * One device's connection to Parley, with the JavaScript client's semantics (clients/js): it reconnects with
 * jittered backoff, resends every message not yet acked with the same clientMsgId, shows each message once and in
 * seq order (filling gaps from history, holding early ones), and catches up from its cursors on every connect.
 * All its state lives on one thread of its own; listeners are called there, so they must not block.
 */
public final class ParleyClient implements AutoCloseable {

    /** What the client tells its app. Every method has a default, so an app overrides only what it needs. */
    public interface Listener {
        default void onOpen(String userId) {
        }

        /** The socket closed; {@code reconnecting} says whether the client comes back by itself. */
        default void onClose(int code, String reason, boolean reconnecting) {
        }

        /** A message, once, in seq order within its conversation, live or caught up. */
        default void onMessage(Message message) {
        }

        /** {@code receipt}, {@code receipts}, {@code typing}, {@code presence}, {@code friend}, {@code group}, {@code invitation}. */
        default void onFrame(String type, JsonNode data) {
        }

        /** A refusal not about a message sent or a request made through this client. */
        default void onError(String code, String reason, JsonNode data) {
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> TRANSIENT = Set.of("unavailable", "rate-limited");
    private static final Set<Integer> FINAL = Set.of(4400, 4409);
    private static final int PAGE = 100;
    /** The most cursors a catch-up may name (docs/protocol.md). */
    private static final int MAX_CURSORS = 2_000;
    private static final long IDLE_PING_MS = 25_000;

    /** {@code transmissions}: how often it went, counted so that a timer set for an earlier one does nothing. */
    private record Outgoing(String frame, ObjectNode data, CompletableFuture<Ack> acked, int[] transmissions) {
    }

    private final URI url;
    private final String device;
    private final Supplier<String> token;
    private final Cursors cursors;
    private final Listener listener;
    private final Backoff backoff;
    private final long resendRefusedMs;
    private final long resendSilentMs;
    private final long maxResendMs;
    private final HttpClient http = HttpClient.newHttpClient();
    private final ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "parley-client");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, Outgoing> outbox = new LinkedHashMap<>();
    private final Map<String, CompletableFuture<JsonNode>> requests = new HashMap<>();
    private final List<ObjectNode> controls = new ArrayList<>();
    private final Set<String> filling = new HashSet<>();
    private Lines lines = new Lines(Map.of());
    private Connection current;
    private boolean ready;
    private boolean stopped = true;
    private boolean soon;
    private boolean catchingUp;
    private long counter;
    private long lastFrameAt;
    private CompletableFuture<Void> connected;

    private ParleyClient(Builder b) {
        this.url = b.url;
        this.device = b.device;
        this.token = b.token;
        this.cursors = b.cursors;
        this.listener = b.listener;
        this.backoff = new Backoff(b.initialBackoffMs, b.maxBackoffMs, () -> ThreadLocalRandom.current().nextDouble());
        this.resendRefusedMs = b.resendRefusedMs;
        this.resendSilentMs = b.resendSilentMs;
        this.maxResendMs = b.maxResendMs;
    }

    /**
     * @param url    the tier's WebSocket endpoint, such as {@code ws://127.0.0.1:18080/ws}
     * @param token  gives a valid token; asked before every connection, so an expired one (4401) is replaced
     */
    public static Builder builder(URI url, String device, Supplier<String> token) {
        return new Builder(url, device, token);
    }

    public static final class Builder {
        private final URI url;
        private final String device;
        private final Supplier<String> token;
        private Cursors cursors = Cursors.inMemory();
        private Listener listener = new Listener() { };
        private long initialBackoffMs = 500;
        private long maxBackoffMs = 30_000;
        private long resendRefusedMs = 1_000;
        private long resendSilentMs = 5_000;
        private long maxResendMs = 60_000;

        private Builder(URI url, String device, Supplier<String> token) {
            this.url = url;
            this.device = device;
            this.token = token;
        }

        public Builder cursors(Cursors cursors) {
            this.cursors = cursors;
            return this;
        }

        public Builder listener(Listener listener) {
            this.listener = listener;
            return this;
        }

        public Builder backoff(Duration initial, Duration max) {
            this.initialBackoffMs = initial.toMillis();
            this.maxBackoffMs = max.toMillis();
            return this;
        }

        /**
         * When a message not yet acked goes again: {@code afterRefusal} after a transient refusal ({@code
         * unavailable}, {@code rate-limited}), {@code afterSilence} when nothing came back, each doubling per time up
         * to {@code max}. By default 1 s, 5 s and a minute.
         */
        public Builder resends(Duration afterRefusal, Duration afterSilence, Duration max) {
            this.resendRefusedMs = afterRefusal.toMillis();
            this.resendSilentMs = afterSilence.toMillis();
            this.maxResendMs = max.toMillis();
            return this;
        }

        public ParleyClient build() {
            return new ParleyClient(this);
        }
    }

    /** Connects; completes at the first welcome and keeps the connection up until {@link #close}. */
    public CompletableFuture<Void> connect() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        loop.execute(() -> {
            if (!stopped) {
                done.completeExceptionally(new IllegalStateException("already connected or connecting"));
                return;
            }
            stopped = false;
            connected = done;
            lines = new Lines(cursors.load());
            loop.scheduleWithFixedDelay(this::checkLiveness, 5, 5, TimeUnit.SECONDS);
            open();
        });
        return done;
    }

    /**
     * Sends a message; completes with its seq once stored, or fails with the server's refusal. Until acked it is
     * resent after every reconnect with the same clientMsgId, so it is stored once however often it goes.
     */
    public CompletableFuture<Ack> send(String conversationId, String content) {
        return send(conversationId, content, "text");
    }

    public CompletableFuture<Ack> send(String conversationId, String content, String contentType) {
        return send(conversationId, content, contentType, UUID.randomUUID().toString());
    }

    /** With a clientMsgId of the app's own, for an app that keeps unsent messages across restarts. */
    public CompletableFuture<Ack> send(String conversationId, String content, String contentType, String clientMsgId) {
        ObjectNode d = JSON.createObjectNode().put("conversationId", conversationId).put("clientMsgId", clientMsgId)
                .put("contentType", contentType).put("content", content);
        return enqueue("send", d);
    }

    public CompletableFuture<Ack> edit(String conversationId, long seq, String content) {
        return enqueue("edit", JSON.createObjectNode().put("conversationId", conversationId)
                .put("clientMsgId", UUID.randomUUID().toString()).put("seq", seq).put("content", content));
    }

    public CompletableFuture<Ack> recall(String conversationId, long seq) {
        return enqueue("recall", JSON.createObjectNode().put("conversationId", conversationId)
                .put("clientMsgId", UUID.randomUUID().toString()).put("seq", seq));
    }

    public void read(String conversationId, long seq) {
        control("receipt.read", JSON.createObjectNode().put("conversationId", conversationId).put("seq", seq));
    }

    public void delivered(String conversationId, long seq) {
        control("receipt.delivered", JSON.createObjectNode().put("conversationId", conversationId).put("seq", seq));
    }

    /** Dropped when offline: it would be stale. */
    public void typing(String conversationId, boolean started) {
        loop.execute(() -> {
            if (ready) {
                write(frame("typing", JSON.createObjectNode().put("conversationId", conversationId)
                        .put("state", started ? "started" : "stopped")));
            }
        });
    }

    /**
     * Any other upstream frame (docs/protocol.md): {@code friend.request}, {@code group.create}, {@code presence.watch}…
     * Sent now, or on the next connect; answers come to {@link Listener#onFrame}.
     */
    public void control(String type, ObjectNode data) {
        ObjectNode f = frame(type, data);
        loop.execute(() -> {
            if (ready) {
                write(f);
            } else {
                controls.add(f);
            }
        });
    }

    public void friendRequest(String userId) {
        control("friend.request", JSON.createObjectNode().put("userId", userId));
    }

    public void friendAccept(String userId) {
        control("friend.accept", JSON.createObjectNode().put("userId", userId));
    }

    public void groupCreate(String groupId, String name, List<String> members) {
        ObjectNode d = JSON.createObjectNode().put("groupId", groupId).put("name", name);
        members.forEach(d.putArray("members")::add);
        control("group.create", d);
    }

    public void groupJoin(String groupId) {
        control("group.join", JSON.createObjectNode().put("groupId", groupId));
    }

    /** A page of the conversation's messages after {@code afterSeq}, in seq order. */
    public CompletableFuture<List<Message>> history(String conversationId, long afterSeq, int limit) {
        return request(JSON.createObjectNode().put("kind", "history").put("conversationId", conversationId)
                .put("afterSeq", afterSeq).put("limit", limit)).thenApply(ParleyClient::messages);
    }

    /** Every conversation with its last message and unread count, as the {@code sync} frame gives them. */
    public CompletableFuture<JsonNode> conversations() {
        return request(JSON.createObjectNode().put("kind", "conversations")).thenApply(a -> a.path("conversations"));
    }

    /** Messages sent and not yet acked. */
    public CompletableFuture<Integer> unacked() {
        return CompletableFuture.supplyAsync(outbox::size, loop);
    }

    /** The last seq shown per conversation. */
    public CompletableFuture<Map<String, Long>> cursors() {
        return CompletableFuture.supplyAsync(() -> lines.all(), loop);
    }

    /** Drops the connection as a network failure would, for fault drills and tests; the client comes back. */
    public void dropConnection() {
        loop.execute(() -> {
            if (current != null && current.socket != null) {
                // An aborted socket tells its listener nothing more: the client notices here, as a read would fail.
                current.socket.abort();
                closed(1006, "connection dropped");
            }
        });
    }

    /** Closes for good: nothing reconnects, pending requests fail; messages not acked stay unsent. */
    @Override
    public void close() {
        CompletableFuture<Void> closed = CompletableFuture.runAsync(() -> {
            stopped = true;
            Connection c = current;
            current = null;
            ready = false;
            if (c != null && c.socket != null) {
                c.socket.sendClose(1000, "bye");
            }
            failRequests("client closed");
        }, loop);
        closed.orTimeout(5, TimeUnit.SECONDS).exceptionally(e -> null).join();
        loop.shutdownNow(); // resend and request timers included
    }

    private CompletableFuture<Ack> enqueue(String frame, ObjectNode data) {
        CompletableFuture<Ack> acked = new CompletableFuture<>();
        loop.execute(() -> {
            Outgoing o = new Outgoing(frame, data, acked, new int[1]);
            outbox.put(data.path("clientMsgId").asText(), o);
            if (ready) {
                transmit(o);
            }
        });
        return acked;
    }

    private void open() {
        if (stopped) {
            return;
        }
        String query = "token=" + encode(token.get()) + "&device=" + encode(device);
        URI uri = URI.create(url + (url.getQuery() == null ? "?" : "&") + query);
        Connection c = new Connection();
        current = c;
        lastFrameAt = System.currentTimeMillis();
        http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10)).buildAsync(uri, c).whenComplete((socket, failure) -> {
            if (failure != null) {
                loop.execute(() -> {
                    if (current == c) {
                        closed(1006, "could not connect: " + failure.getMessage());
                    }
                });
            }
        });
    }

    /** One socket's events, each handed to the client's thread; a replaced socket's are ignored. */
    private final class Connection implements WebSocket.Listener {
        private final StringBuilder text = new StringBuilder();
        private volatile WebSocket socket;
        private volatile CompletableFuture<WebSocket> sending;

        @Override
        public void onOpen(WebSocket webSocket) {
            sending = CompletableFuture.completedFuture(webSocket);
            socket = webSocket;
            webSocket.request(1);
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                String frame = text.toString();
                text.setLength(0);
                loop.execute(() -> {
                    if (current == this) {
                        lastFrameAt = System.currentTimeMillis();
                        receive(frame);
                    }
                });
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int code, String reason) {
            loop.execute(() -> {
                if (current == this) {
                    closed(code, reason);
                }
            });
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            loop.execute(() -> {
                if (current == this) {
                    closed(1006, String.valueOf(error.getMessage()));
                }
            });
        }

        /** The JDK's WebSocket takes one send at a time: each waits for the one before. */
        void send(String frame) {
            sending = sending.thenCompose(ws -> ws.sendText(frame, true)).exceptionally(e -> socket);
        }
    }

    private void closed(int code, String reason) {
        current = null;
        ready = false;
        boolean reconnecting = !stopped && !FINAL.contains(code);
        listener.onClose(code, reason, reconnecting);
        failRequests("connection closed (" + code + ")");
        if (!reconnecting) {
            if (!stopped) {
                stopped = true;
                connected.completeExceptionally(new ParleyException(String.valueOf(code), reason));
            }
            return;
        }
        // A node going away (1012, after a reconnect frame) is not a failure: come back at once, jittered.
        long delay = code == 1012 || soon ? ThreadLocalRandom.current().nextLong(250) : backoff.next();
        soon = false;
        loop.schedule(this::open, delay, TimeUnit.MILLISECONDS);
    }

    private void checkLiveness() {
        if (!ready || current == null) {
            return;
        }
        long quiet = System.currentTimeMillis() - lastFrameAt;
        if (quiet > IDLE_PING_MS + 10_000) {
            // No answer to the ping: the connection is dead even if the socket does not know it yet.
            current.socket.abort();
            closed(4000, "no answer to ping");
        } else if (quiet > IDLE_PING_MS) {
            write(JSON.createObjectNode().put("v", 1).put("t", "ping"));
        }
    }

    private void receive(String text) {
        JsonNode frame;
        try {
            frame = JSON.readTree(text);
        } catch (Exception e) {
            return;
        }
        JsonNode d = frame.path("d");
        switch (frame.path("t").asText()) {
            case "welcome" -> welcomed(d);
            case "ack" -> {
                Outgoing o = outbox.remove(d.path("clientMsgId").asText());
                if (o != null) {
                    o.acked().complete(new Ack(d.path("clientMsgId").asText(), d.path("conversationId").asText(),
                            d.path("serverSeq").asLong()));
                }
            }
            case "msg" -> {
                Message m = Message.of(d);
                show(lines.live(m));
                if (lines.gap(m.conversationId())) {
                    fill(m.conversationId());
                }
            }
            case "sync" -> {
                CompletableFuture<JsonNode> request = requests.remove(d.path("requestId").asText());
                if (request != null) {
                    request.complete(d);
                }
            }
            case "error" -> refused(frame.path("id").asText(null), d);
            case "resync" -> catchUp();
            case "reconnect" -> soon = true;
            case "pong" -> { }
            default -> listener.onFrame(frame.path("t").asText(), d);
        }
    }

    private void welcomed(JsonNode d) {
        ready = true;
        backoff.reset();
        listener.onOpen(d.path("userId").asText());
        if (connected != null) {
            connected.complete(null);
        }
        outbox.values().forEach(this::transmit);
        controls.forEach(this::write);
        controls.clear();
        catchUp();
    }

    private void refused(String id, JsonNode error) {
        String code = error.path("code").asText();
        String key = error.hasNonNull("clientMsgId") ? error.get("clientMsgId").asText() : id;
        Outgoing o = key == null ? null : outbox.get(key);
        if (o != null) {
            if (TRANSIENT.contains(code)) {
                // Not taken: it goes again after a while, or after the next reconnect.
                resendLater(key, o, Backoff.resendMs(o.transmissions()[0], resendRefusedMs, maxResendMs));
                return;
            }
            outbox.remove(key);
            o.acked().completeExceptionally(new ParleyException(code, error.path("reason").asText()));
            return;
        }
        CompletableFuture<JsonNode> request = id == null ? null : requests.remove(id);
        if (request != null) {
            request.completeExceptionally(new ParleyException(code, error.path("reason").asText()));
            return;
        }
        listener.onError(code, error.path("reason").asText(), error);
    }

    private void transmit(Outgoing o) {
        ObjectNode d = o.data().deepCopy();
        if (o.transmissions()[0] > 0 && o.frame().equals("send")) {
            d.put("resend", true);
        }
        int n = ++o.transmissions()[0];
        String key = o.data().path("clientMsgId").asText();
        write(frame(o.frame(), d).put("id", key));
        // Neither ack nor refusal: the frame or its event may be lost on the way, so it goes again.
        resendLater(key, o, Backoff.resendMs(n, resendSilentMs, maxResendMs));
    }

    /** Sends the message again after {@code delayMs}, unless it was acked or refused, or went again meanwhile. */
    private void resendLater(String key, Outgoing o, long delayMs) {
        int n = o.transmissions()[0];
        loop.schedule(() -> {
            if (ready && outbox.get(key) == o && o.transmissions()[0] == n) {
                transmit(o);
            }
        }, delayMs, TimeUnit.MILLISECONDS);
    }

    private static ObjectNode frame(String type, ObjectNode data) {
        ObjectNode f = JSON.createObjectNode().put("v", 1).put("t", type);
        f.set("d", data);
        return f;
    }

    private void write(ObjectNode frame) {
        Connection c = current;
        if (c != null && c.socket != null) {
            c.send(frame.toString());
        }
    }

    private CompletableFuture<JsonNode> request(ObjectNode query) {
        CompletableFuture<JsonNode> answer = new CompletableFuture<>();
        loop.execute(() -> {
            if (!ready) {
                answer.completeExceptionally(new IllegalStateException("not connected"));
                return;
            }
            String requestId = "r" + (++counter) + "-" + UUID.randomUUID().toString().substring(0, 8);
            requests.put(requestId, answer);
            query.put("requestId", requestId);
            write(frame("sync", query).put("id", requestId));
            loop.schedule(() -> {
                if (requests.remove(requestId) != null) {
                    answer.completeExceptionally(new IllegalStateException("sync " + query.path("kind").asText() + " timed out"));
                }
            }, 15, TimeUnit.SECONDS);
        });
        return answer;
    }

    private void failRequests(String why) {
        requests.values().forEach(r -> r.completeExceptionally(new IllegalStateException(why)));
        requests.clear();
    }

    /** Fills a conversation's gap from history, page by page, then releases what was held behind it. */
    private void fill(String conversationId) {
        if (!filling.add(conversationId)) {
            return;
        }
        history(conversationId, lines.cursor(conversationId), PAGE).whenCompleteAsync((page, failure) -> {
            filling.remove(conversationId);
            if (failure != null) {
                return; // disconnected: the catch-up after the reconnect fills it
            }
            show(lines.stored(conversationId, page));
            if (page.size() < PAGE) {
                show(lines.settle(conversationId));
            }
            if (lines.gap(conversationId)) {
                fill(conversationId);
            }
        }, loop);
    }

    /** Everything after the cursors, conversation by conversation, until the server has no more. */
    private void catchUp() {
        if (catchingUp) {
            return;
        }
        catchingUp = true;
        ObjectNode query = JSON.createObjectNode().put("kind", "catch-up");
        ObjectNode c = query.putObject("cursors");
        lines.all().entrySet().stream().limit(MAX_CURSORS).forEach(e -> c.put(e.getKey(), e.getValue()));
        request(query).whenCompleteAsync((answer, failure) -> {
            catchingUp = false;
            if (failure != null) {
                return; // disconnected: the next connect catches up again
            }
            Map<String, List<Message>> byConversation = new LinkedHashMap<>();
            for (Message m : messages(answer)) {
                byConversation.computeIfAbsent(m.conversationId(), k -> new ArrayList<>()).add(m);
            }
            byConversation.forEach((conversation, list) -> show(lines.stored(conversation, list)));
            if (answer.path("hasMore").asBoolean() && !byConversation.isEmpty()) {
                catchUp();
            } else {
                lines.gaps().forEach(this::fill);
            }
        }, loop);
    }

    private void show(List<Message> messages) {
        if (messages.isEmpty()) {
            return;
        }
        for (Message m : messages) {
            try {
                listener.onMessage(m);
            } catch (RuntimeException e) {
                // The listener's failure is the app's; the connection goes on.
                Thread.currentThread().getUncaughtExceptionHandler().uncaughtException(Thread.currentThread(), e);
            }
        }
        cursors.save(lines.all());
    }

    private static List<Message> messages(JsonNode answer) {
        List<Message> list = new ArrayList<>();
        JsonNode array = answer.path("messages");
        if (array instanceof ArrayNode) {
            array.forEach(m -> list.add(Message.of(m)));
        }
        return list;
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
