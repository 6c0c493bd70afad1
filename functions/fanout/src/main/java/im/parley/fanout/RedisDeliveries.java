package im.parley.fanout;

import im.parley.eventing.EventTypes;
import im.parley.eventing.Events;
import im.parley.eventing.delivery.DeliveryBatch;
import im.parley.eventing.delivery.DeliveryChannel;
import io.vertx.core.buffer.Buffer;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;

/** The per-node Redis Stream of {@link DeliveryChannel}: one entry per batch, to the node's stream only. */
public final class RedisDeliveries implements Deliveries {

    private final Redis redis;

    public RedisDeliveries(Redis redis) {
        this.redis = redis;
    }

    @Override
    public void send(DeliveryBatch batch) {
        byte[] entry = DeliveryChannel.encode(Events.create(EventTypes.DELIVERY_BATCH, batch, null, Events.functionSource("fanout")));
        RedisAwait.await(redis.send(Request.cmd(Command.XADD).arg(DeliveryChannel.streamKey(batch.nodeId()))
                .arg("MAXLEN").arg("~").arg(DeliveryChannel.MAX_LENGTH).arg("*")
                .arg(DeliveryChannel.FIELD).arg(Buffer.buffer(entry))));
    }
}
