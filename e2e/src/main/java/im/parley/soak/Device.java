package im.parley.soak;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import im.parley.client.Message;
import im.parley.client.ParleyClient;
import im.parley.client.ParleyException;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * A device as an app runs one: on the Java client (clients/java), which reconnects, resends what is not acked with
 * the same clientMsgId, shows each message once and in seq order (filling gaps, catching up on every connect). What
 * the device sends, is acked and is shown goes to the {@link History}, so the checker holds the client to the
 * promise as much as the server.
 */
final class Device implements ParleyClient.Listener {

    private static final int PAGE = 200;

    final String user;
    final String id;
    private final History history;
    private final ParleyClient client;
    private final AtomicInteger connection = new AtomicInteger();
    private final AtomicInteger unacked = new AtomicInteger();
    private final AtomicInteger reading = new AtomicInteger();
    private volatile boolean opened;

    Device(String user, String device, URI url, Supplier<String> token, History history) {
        this.user = user;
        this.id = user + "/" + device;
        this.history = history;
        this.client = ParleyClient.builder(url, device, token).listener(this)
                .backoff(Duration.ofMillis(200), Duration.ofSeconds(5)).build();
    }

    void start() {
        client.connect().exceptionally(e -> {
            history.write(history.record("error").put("dev", id).put("code", "gave up connecting: " + e));
            return null;
        });
    }

    int unacked() {
        return unacked.get();
    }

    /** Welcomed once, and no final read under way. */
    boolean idle() {
        return opened && reading.get() == 0;
    }

    void send(String conversation, String clientMsgId, String content) {
        history.write(history.record("send").put("dev", id).put("conv", conversation).put("cmid", clientMsgId)
                .put("content", content));
        unacked.incrementAndGet();
        client.send(conversation, content, "text", clientMsgId).whenComplete((ack, failure) -> {
            unacked.decrementAndGet();
            if (failure == null) {
                history.write(history.record("ack").put("dev", id).put("conn", connection.get()).put("conv", conversation)
                        .put("cmid", clientMsgId).put("seq", ack.serverSeq()));
            } else {
                Throwable cause = failure.getCause() != null ? failure.getCause() : failure;
                history.write(history.record("error").put("dev", id).put("conn", connection.get()).put("cmid", clientMsgId)
                        .put("code", cause instanceof ParleyException p ? p.code() : cause.toString()));
            }
        });
    }

    /** The last read, once traffic has stopped: everything stored, from the start of the conversation. */
    void readEverything(String conversation) {
        reading.incrementAndGet();
        read(conversation, 0, System.nanoTime() + Duration.ofSeconds(60).toNanos());
    }

    private void read(String conversation, long after, long until) {
        client.history(conversation, after, PAGE).whenComplete((page, failure) -> {
            if (failure != null) {
                if (System.nanoTime() < until) {
                    CompletableFuture.delayedExecutor(500, TimeUnit.MILLISECONDS)
                            .execute(() -> read(conversation, after, until));
                } else {
                    history.write(history.record("error").put("dev", id).put("code", "final read failed: " + failure));
                    reading.decrementAndGet();
                }
                return;
            }
            page.forEach(m -> history.write(message("sync", m).put("final", true)));
            if (page.size() == PAGE) {
                read(conversation, page.get(page.size() - 1).serverSeq(), until);
            } else {
                reading.decrementAndGet();
            }
        });
    }

    void close() {
        client.close();
    }

    @Override
    public void onOpen(String userId) {
        opened = true;
        history.write(history.record("connect").put("dev", id).put("conn", connection.incrementAndGet()));
    }

    @Override
    public void onClose(int code, String reason, boolean reconnecting) {
        history.write(history.record("disconnect").put("dev", id).put("conn", connection.get())
                .put("why", code + " " + reason).put("reconnecting", reconnecting));
    }

    @Override
    public void onMessage(Message message) {
        history.write(message("shown", message).put("conn", connection.get()));
    }

    @Override
    public void onError(String code, String reason, JsonNode data) {
        history.write(history.record("error").put("dev", id).put("conn", connection.get()).put("code", code));
    }

    private ObjectNode message(String kind, Message m) {
        return history.record(kind).put("dev", id).put("conv", m.conversationId()).put("seq", m.serverSeq())
                .put("cmid", m.clientMsgId()).put("content", m.content());
    }
}
