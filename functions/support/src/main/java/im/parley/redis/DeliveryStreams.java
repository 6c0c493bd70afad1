package im.parley.redis;

import im.parley.eventing.EventTypes;
import im.parley.eventing.Events;
import im.parley.eventing.delivery.DeliveryBatch;
import im.parley.eventing.delivery.DeliveryChannel;
import io.cloudevents.CloudEvent;
import io.vertx.core.buffer.Buffer;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;

/** Writes to one connection node's delivery stream ({@link DeliveryChannel}): addressed, never broadcast. */
public final class DeliveryStreams {

    private final Redis redis;

    public DeliveryStreams(Redis redis) {
        this.redis = redis;
    }

    /** A delivery batch, as {@code im.parley.delivery.batch} from the named function, on its node's stream. */
    public void send(DeliveryBatch batch, String function) {
        send(batch.nodeId(), Events.create(EventTypes.DELIVERY_BATCH, batch, null, Events.functionSource(function)));
    }

    public void send(String nodeId, CloudEvent event) {
        RedisConnections.await(redis.send(Request.cmd(Command.XADD).arg(DeliveryChannel.streamKey(nodeId))
                .arg("MAXLEN").arg("~").arg(DeliveryChannel.MAX_LENGTH).arg("*")
                .arg(DeliveryChannel.FIELD).arg(Buffer.buffer(DeliveryChannel.encode(event)))));
    }
}
