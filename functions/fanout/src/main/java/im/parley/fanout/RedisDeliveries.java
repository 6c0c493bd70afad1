package im.parley.fanout;

import im.parley.eventing.EventTypes;
import im.parley.eventing.Events;
import im.parley.eventing.delivery.DeliveryBatch;
import im.parley.redis.DeliveryStreams;

/** Delivery batches on the node's own Redis Stream. */
public final class RedisDeliveries implements Deliveries {

    private final DeliveryStreams streams;

    public RedisDeliveries(DeliveryStreams streams) {
        this.streams = streams;
    }

    @Override
    public void send(DeliveryBatch batch) {
        streams.send(batch.nodeId(), Events.create(EventTypes.DELIVERY_BATCH, batch, null, Events.functionSource("fanout")));
    }
}
