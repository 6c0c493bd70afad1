package im.parley.redis;

import im.parley.eventing.delivery.DeliveryBatch;
import im.parley.eventing.delivery.DeliveryChannel;
import im.parley.eventing.delivery.Frames;
import im.parley.eventing.tracing.Tracing;
import io.opentelemetry.api.trace.Span;
import io.vertx.core.buffer.Buffer;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes to one connection node's delivery stream ({@link DeliveryChannel}): addressed, never broadcast. Each
 * frame is encoded once here; a batch's entries go in one round trip.
 */
public final class DeliveryStreams {

    private final Redis redis;

    public DeliveryStreams(Redis redis) {
        this.redis = redis;
    }

    public void send(DeliveryBatch batch) {
        String trace = Tracing.traceparent(Span.current());
        List<Request> entries = new ArrayList<>(batch.items().size());
        for (DeliveryBatch.Item item : batch.items()) {
            entries.add(entry(batch.nodeId(), DeliveryChannel.Entry.encodeTargets(item.targets()), Frames.encode(item.frame()),
                    trace));
        }
        if (entries.size() == 1) {
            RedisConnections.await(redis.send(entries.get(0)));
        } else {
            RedisConnections.batch(redis, entries);
        }
    }

    /**
     * The XADD of one entry: the frame's bytes and the devices on the node they are for, and the trace the node's
     * write continues (null for none).
     */
    public static Request entry(String nodeId, String targets, byte[] frame, String traceparent) {
        Request xadd = Request.cmd(Command.XADD).arg(DeliveryChannel.streamKey(nodeId))
                .arg("MAXLEN").arg("~").arg(DeliveryChannel.MAX_LENGTH).arg("*")
                .arg(DeliveryChannel.TARGETS).arg(targets).arg(DeliveryChannel.FRAME).arg(Buffer.buffer(frame));
        return traceparent == null ? xadd : xadd.arg(DeliveryChannel.TRACE).arg(traceparent);
    }
}
