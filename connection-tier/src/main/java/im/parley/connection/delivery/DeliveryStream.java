package im.parley.connection.delivery;

import im.parley.eventing.delivery.DeliveryChannel;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads this node's delivery stream (see {@link DeliveryChannel}) with blocking XREAD on its own connection.
 * It remembers the last entry id, so after a lost connection it resumes exactly where it stopped. The stream is
 * trimmed from the front, so a node stalled long enough can find unread entries gone. It counts the entries it
 * has read; a read pipelined behind a count of the entries ever added and still kept finds more trimmed than read
 * when there is a gap, and reports it to {@code onGap} (the node tells its clients to catch up) before it delivers
 * what follows. So is a stream that restarted with fewer entries than were read (Redis lost it).
 *
 * <p>The count is a script that costs Redis about as much as the read, so only the first read on a connection, and
 * one a second, go behind it. Any other read shows a possible gap itself: once unread entries are trimmed, only unread
 * ones are left, so the read returns a whole batch or the whole stream. The stream is then no shorter than at the
 * last count, or at least a batch long, since trimming keeps {@link DeliveryChannel#MAX_LENGTH} entries. A read that
 * long is not delivered but done again behind a count.
 */
public final class DeliveryStream implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DeliveryStream.class);
    private static final int BATCH = 512;
    private static final long COUNT_EVERY_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final Vertx vertx;
    private final Redis redis;
    private final String key;
    private final Sink sink;
    private final Runnable onGap;
    private volatile boolean running = true;
    private volatile String lastId = "$";
    private volatile RedisConnection connection;
    /** Entries of the stream up to and including lastId, counted from its creation. */
    private volatile long read;
    /** Whether the next read goes behind a count; these three are touched on the stream's context only. */
    private boolean countNext = true;
    private long countedAt;
    /** The stream's length at the last count. */
    private long kept;

    /** The stream's entries ever added, and kept now: {0, 0} when it does not exist. */
    private static final String COUNTS = """
            if redis.call('EXISTS', KEYS[1]) == 0 then return {0, 0} end
            local info = redis.call('XINFO', 'STREAM', KEYS[1])
            local added, length = 0, 0
            for i = 1, #info, 2 do
              if info[i] == 'entries-added' then added = info[i + 1] elseif info[i] == 'length' then length = info[i + 1] end
            end
            return {added, length}""";

    /** Takes each entry: its targets, its frame, and the trace it continues (null when untraced). */
    public interface Sink {
        void accept(String targets, byte[] frame, String traceparent);
    }

    /**
     * @param sink  given each entry's targets, frame and trace
     * @param onGap told when entries were trimmed before this node read them
     */
    public DeliveryStream(Vertx vertx, Redis redis, String nodeId, Sink sink, Runnable onGap) {
        this.vertx = vertx;
        this.redis = redis;
        this.key = DeliveryChannel.streamKey(nodeId);
        this.sink = sink;
        this.onGap = onGap;
    }

    /** Starts reading; entries written from now on are delivered. Completes once the first read is issued. */
    public Future<Void> start() {
        return redis.connect().compose(conn -> {
            connection = conn;
            conn.exceptionHandler(e -> LOG.warn("delivery stream connection failed: {}", e.toString()));
            // Pin "$" to a concrete id now, so nothing written between here and the first XREAD is skipped.
            return conn.batch(List.of(counts(), Request.cmd(Command.XREVRANGE).arg(key).arg("+").arg("-").arg("COUNT").arg(1)))
                    .map(answers -> {
                        Response last = answers.get(1);
                        lastId = last != null && last.size() > 0 ? last.get(0).get(0).toString() : "0-0";
                        read = answers.get(0).get(0).toLong();
                        kept = answers.get(0).get(1).toLong();
                        countedAt = System.nanoTime();
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
        boolean counted = countNext || System.nanoTime() - countedAt >= COUNT_EVERY_NANOS;
        countNext = false;
        Request xread = Request.cmd(Command.XREAD).arg("COUNT").arg(BATCH).arg("BLOCK").arg(1000).arg("STREAMS").arg(key)
                .arg(lastId);
        conn.batch(counted ? List.of(counts(), xread) : List.of(xread)).onComplete(result -> {
                    if (result.succeeded()) {
                        Response entries = result.result().get(counted ? 1 : 0);
                        if (counted) {
                            countedAt = System.nanoTime();
                            checkGap(result.result().get(0));
                            handle(entries);
                        } else if (size(entries) >= Math.min(BATCH, kept)) {
                            countNext = true; // perhaps after a gap: read again, behind a count
                        } else {
                            handle(entries);
                        }
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
            countNext = true;
            read();
        }).onFailure(e -> vertx.setTimer(500, t -> reconnect()));
    }

    private Request counts() {
        return Request.cmd(Command.EVAL).arg(COUNTS).arg(1).arg(key);
    }

    private void checkGap(Response counts) {
        long added = counts.get(0).toLong();
        kept = counts.get(1).toLong();
        long trimmed = added - kept;
        if (trimmed > read || added < read) {
            LOG.warn("{} lost entries before this node read them: {} read, {} added, {} trimmed", key, read, added, trimmed);
            read = trimmed;
            onGap.run();
        }
    }

    private static int size(Response xread) {
        int entries = 0;
        if (xread != null) {
            for (Response stream : xread) {
                entries += stream.get(1).size();
            }
        }
        return entries;
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
                String trace = null;
                for (int i = 0; i + 1 < fields.size(); i += 2) {
                    String field = fields.get(i).toString();
                    if (DeliveryChannel.TARGETS.equals(field)) {
                        targets = fields.get(i + 1).toString();
                    } else if (DeliveryChannel.FRAME.equals(field)) {
                        frame = fields.get(i + 1).toBytes();
                    } else if (DeliveryChannel.TRACE.equals(field)) {
                        trace = fields.get(i + 1).toString();
                    }
                }
                if (targets == null || frame == null) {
                    LOG.warn("dropping entry {} of {}: it lacks {} or {}", id, key, DeliveryChannel.TARGETS, DeliveryChannel.FRAME);
                } else {
                    try {
                        sink.accept(targets, frame, trace);
                    } catch (RuntimeException e) {
                        LOG.warn("dropping undeliverable entry {} of {}: {}", id, key, e.toString());
                    }
                }
                lastId = id;
                read++;
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
