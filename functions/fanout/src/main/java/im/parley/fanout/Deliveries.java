package im.parley.fanout;

import im.parley.eventing.delivery.DeliveryBatch;

/** The delivery channel to connection nodes: one batch, to one node. */
public interface Deliveries {

    void send(DeliveryBatch batch);
}
