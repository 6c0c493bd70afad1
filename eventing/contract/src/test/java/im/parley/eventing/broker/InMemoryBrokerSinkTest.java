package im.parley.eventing.broker;

import im.parley.eventing.EventTypes;
import io.cloudevents.CloudEvent;
import java.util.List;

class InMemoryBrokerSinkTest extends BrokerSinkContract {

    final InMemoryBrokerSink sink = new InMemoryBrokerSink();

    @Override
    protected BrokerSink sink() {
        return sink;
    }

    @Override
    protected List<CloudEvent> onBroker(String broker, int expected) {
        return sink.events().stream()
                .filter(e -> broker.equals(EventTypes.byType(e.getType()).orElseThrow().broker())).toList();
    }
}
