package im.parley.functions.handlers;

import im.parley.eventing.Actor;
import im.parley.eventing.EventJson;
import im.parley.eventing.EventType;
import im.parley.eventing.Events;
import im.parley.eventing.InvalidEventException;
import im.parley.eventing.broker.BrokerSink;
import io.cloudevents.CloudEvent;
import io.cloudevents.CloudEventData;
import java.io.IOException;
import java.net.URI;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * A function as its handlers, one per event type, adapted to the {@code Function<CloudEvent, CloudEvent>} that
 * hosting serves: each event goes to its type's handler with its typed data and {@link Context}, and the
 * handler's reply becomes the reply event. The types handled are data, not a {@code switch}, so a test can hold
 * them equal to the function's Triggers. An event of another type is refused as invalid (a 400: retrying cannot
 * help).
 */
public final class Handlers implements Function<CloudEvent, CloudEvent> {

    private record Route<T>(String type, Class<T> dataClass, EventType<T> typed, Handler<T> handler) {

        Reply<?> handle(CloudEvent event, Context context) {
            T data = typed != null ? Events.data(typed, event) : read(event);
            return handler.handle(data, context);
        }

        private T read(CloudEvent event) {
            CloudEventData data = event.getData();
            if (data == null) {
                throw new InvalidEventException("event " + event.getId() + " (" + type + ") has no data");
            }
            try {
                return EventJson.MAPPER.readValue(data.toBytes(), dataClass);
            } catch (IOException e) {
                throw new InvalidEventException("event " + event.getId() + " (" + type + ") has unreadable data: "
                        + e.getMessage(), e);
            }
        }
    }

    private final String function;
    private final URI source;
    private final Map<String, Route<?>> routes;
    private final BrokerSink broker;

    private Handlers(String function, Map<String, Route<?>> routes, BrokerSink broker) {
        this.function = function;
        this.source = Events.functionSource(function);
        this.routes = Map.copyOf(routes);
        this.broker = broker;
    }

    /** @param function the function's name, the source of its replies */
    public static Builder of(String function) {
        return new Builder(function);
    }

    /** The event types handled: each must be one of the function's Triggers, and each Trigger's type handled. */
    public Set<String> types() {
        return routes.keySet();
    }

    @Override
    public CloudEvent apply(CloudEvent event) {
        Route<?> route = routes.get(event.getType());
        if (route == null) {
            throw new InvalidEventException(function + " has no handler for " + event.getType() + "; it handles "
                    + new java.util.TreeSet<>(routes.keySet()));
        }
        Instant time = event.getTime() == null ? null : event.getTime().toInstant();
        Context context = new Context(event.getId(), time, Actor.of(event).orElse(null), new Context.Emitter() {
            @Override
            public <R> CompletionStage<Void> emit(EventType<R> type, R data) {
                if (broker == null) {
                    throw new IllegalStateException(function + " emits " + type + " but was built without a broker");
                }
                return broker.publish(Events.reply(type, data, event, source));
            }
        });
        Reply<?> reply = route.handle(event, context);
        return reply == null || reply.isNone() ? null : reply(reply, event);
    }

    private <R> CloudEvent reply(Reply<R> reply, CloudEvent cause) {
        return Events.reply(reply.type(), reply.data(), cause, source);
    }

    public static final class Builder {

        private final String function;
        private final Map<String, Route<?>> routes = new LinkedHashMap<>();
        private BrokerSink broker;

        private Builder(String function) {
            this.function = function;
        }

        /** A core type, read through its typed contract. */
        public <T> Builder on(EventType<T> type, Handler<T> handler) {
            return add(new Route<>(type.type(), type.dataClass(), type, handler));
        }

        /** A type the catalog alone defines (a product team's), read into the function's own record. */
        public <T> Builder on(String type, Class<T> dataClass, Handler<T> handler) {
            return add(new Route<>(type, dataClass, null, handler));
        }

        private Builder add(Route<?> route) {
            if (routes.putIfAbsent(route.type(), route) != null) {
                throw new IllegalArgumentException(function + " has two handlers for " + route.type());
            }
            return this;
        }

        /** Where {@link Context#emit} sends events; without one, a handler cannot emit. */
        public Builder emittingTo(BrokerSink sink) {
            this.broker = sink;
            return this;
        }

        public Handlers build() {
            if (routes.isEmpty()) {
                throw new IllegalStateException(function + " handles no event type");
            }
            return new Handlers(function, routes, broker);
        }
    }
}
