package im.parley.delivery;

import im.parley.eventing.message.DeviceRef;
import java.util.List;

class InMemoryDeliveriesTest extends DeliveriesContract {

    final InMemoryDeliveries deliveries = new InMemoryDeliveries();

    @Override
    Deliveries deliveries() {
        return deliveries;
    }

    @Override
    void online(DeviceRef device, String node) {
        deliveries.online.put(device, node);
    }

    @Override
    List<Entry> delivered(String node) {
        return entries(deliveries.to(node));
    }
}
