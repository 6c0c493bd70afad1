package im.parley.connection.ingress;

import im.parley.eventing.EventTypes;
import io.cloudevents.CloudEvent;
import java.util.List;

class InMemoryEventSinkTest extends EventSinkContract {

    final InMemoryEventSink sink = new InMemoryEventSink();

    @Override
    EventSink sink() {
        return sink;
    }

    @Override
    List<CloudEvent> onBroker(String broker, int expected) {
        return sink.events().stream()
                .filter(e -> broker.equals(EventTypes.byType(e.getType()).orElseThrow().broker())).toList();
    }
}
