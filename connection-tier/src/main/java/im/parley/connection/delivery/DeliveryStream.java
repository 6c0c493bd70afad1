package im.parley.connection.delivery;

import im.parley.eventing.delivery.DeliveryChannel;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads this node's delivery stream (see {@link DeliveryChannel}) with blocking XREAD on its own connection.
 * It remembers the last entry id, so after a lost connection it resumes exactly where it stopped.
 */
public final class DeliveryStream implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DeliveryStream.class);

    private final Vertx vertx;
    private final Redis redis;
    private final String key;
    private final BiConsumer<String, byte[]> sink;
    private volatile boolean running = true;
    private volatile String lastId = "$";
    private volatile RedisConnection connection;

    /** @param sink given each entry's targets and frame */
    public DeliveryStream(Vertx vertx, Redis redis, String nodeId, BiConsumer<String, byte[]> sink) {
        this.vertx = vertx;
        this.redis = redis;
        this.key = DeliveryChannel.streamKey(nodeId);
        this.sink = sink;
    }

    /** Starts reading; entries written from now on are delivered. Completes once the first read is issued. */
    public Future<Void> start() {
        return redis.connect().compose(conn -> {
            connection = conn;
            conn.exceptionHandler(e -> LOG.warn("delivery stream connection failed: {}", e.toString()));
            // Pin "$" to a concrete id now, so nothing written between here and the first XREAD is skipped.
            return conn.send(Request.cmd(Command.XREVRANGE).arg(key).arg("+").arg("-").arg("COUNT").arg(1))
                    .map(last -> {
                        lastId = last != null && last.size() > 0 ? last.get(0).get(0).toString() : "0-0";
                        vertx.runOnContext(v -> read());
                        return null;
                    });
        });
    }

    private void read() {
        if (!running) {
            return;
        }
        RedisConnection conn = connection;
        conn.send(Request.cmd(Command.XREAD).arg("COUNT").arg(512).arg("BLOCK").arg(1000)
                .arg("STREAMS").arg(key).arg(lastId)).onComplete(result -> {
                    if (result.succeeded()) {
                        handle(result.result());
                        vertx.runOnContext(v -> read());
                    } else if (running) {
                        LOG.warn("delivery stream read failed, reconnecting: {}", result.cause().toString());
                        vertx.setTimer(200, t -> reconnect());
                    }
                });
    }

    private void reconnect() {
        if (!running) {
            return;
        }
        redis.connect().onSuccess(conn -> {
            connection = conn;
            read();
        }).onFailure(e -> vertx.setTimer(500, t -> reconnect()));
    }

    private void handle(Response response) {
        if (response == null) {
            return;
        }
        // XREAD reply: [[key, [[id, [field, value, …]], …]]]
        for (Response stream : response) {
            for (Response entry : stream.get(1)) {
                String id = entry.get(0).toString();
                Response fields = entry.get(1);
                String targets = null;
                byte[] frame = null;
                for (int i = 0; i + 1 < fields.size(); i += 2) {
                    String field = fields.get(i).toString();
                    if (DeliveryChannel.TARGETS.equals(field)) {
                        targets = fields.get(i + 1).toString();
                    } else if (DeliveryChannel.FRAME.equals(field)) {
                        frame = fields.get(i + 1).toBytes();
                    }
                }
                if (targets == null || frame == null) {
                    LOG.warn("dropping entry {} of {}: it lacks {} or {}", id, key, DeliveryChannel.TARGETS, DeliveryChannel.FRAME);
                } else {
                    try {
                        sink.accept(targets, frame);
                    } catch (RuntimeException e) {
                        LOG.warn("dropping undeliverable entry {} of {}: {}", id, key, e.toString());
                    }
                }
                lastId = id;
            }
        }
    }

    @Override
    public void close() {
        running = false;
        RedisConnection conn = connection;
        if (conn != null) {
            conn.close();
        }
    }
}
