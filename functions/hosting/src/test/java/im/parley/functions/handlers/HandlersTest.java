package im.parley.functions.handlers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import im.parley.eventing.Actor;
import im.parley.eventing.EventTypes;
import im.parley.eventing.Events;
import im.parley.eventing.InvalidEventException;
import im.parley.eventing.receipt.Receipt;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class HandlersTest {

    private static final Actor BOB = new Actor("bob", "phone", "node-1");
    private static final URI TIER = Events.nodeSource("node-1");

    record Typing(String conversationId, String state) {
    }

    @Test
    void eachTypeGoesToItsHandlerWithItsDataAndActor() {
        List<String> seen = new ArrayList<>();
        Handlers handlers = Handlers.of("receipt")
                .on(EventTypes.RECEIPT_READ, (r, context) -> {
                    seen.add("read " + r.conversationId() + "@" + r.seq() + " by " + context.actor().userId());
                    return Reply.none();
                })
                .on(EventTypes.RECEIPT_DELIVERED, (r, actor) -> {
                    seen.add("delivered " + r.seq());
                    return Reply.none();
                })
                .build();
        assertThat(handlers.types()).containsExactlyInAnyOrder(EventTypes.RECEIPT_READ.type(), EventTypes.RECEIPT_DELIVERED.type());
        CloudEvent read = Events.create(EventTypes.RECEIPT_READ, new Receipt("d:alice:bob", 7), BOB, TIER);
        assertThat(handlers.apply(read)).isNull();
        assertThat(handlers.apply(Events.create(EventTypes.RECEIPT_DELIVERED, new Receipt("d:alice:bob", 9), BOB, TIER))).isNull();
        assertThat(seen).containsExactly("read d:alice:bob@7 by bob", "delivered 9");
        Handlers ids = Handlers.of("ids").on(EventTypes.RECEIPT_READ, (r, context) -> {
            seen.add(context.eventId());
            return Reply.none();
        }).build();
        ids.apply(read);
        assertThat(seen).last().as("the event's id, the same on a redelivery").isEqualTo(read.getId());
    }

    @Test
    void aReplyBecomesAnEventThatKeepsTheCausesActor() {
        Handlers handlers = Handlers.of("echo")
                .on(EventTypes.RECEIPT_READ, (r, actor) -> Reply.of(EventTypes.RECEIPT_DELIVERED, new Receipt(r.conversationId(), r.seq())))
                .build();
        CloudEvent reply = handlers.apply(Events.create(EventTypes.RECEIPT_READ, new Receipt("g:crew", 3), BOB, TIER));
        assertThat(reply.getType()).isEqualTo(EventTypes.RECEIPT_DELIVERED.type());
        assertThat(reply.getSource()).isEqualTo(Events.functionSource("echo"));
        assertThat(Actor.require(reply)).isEqualTo(BOB);
        assertThat(Events.data(EventTypes.RECEIPT_DELIVERED, reply)).isEqualTo(new Receipt("g:crew", 3));
    }

    @Test
    void aHandlerEmitsBesideItsReplyKeepingTheCauseAndSeesTheEventsTime() {
        List<CloudEvent> published = new ArrayList<>();
        List<Object> times = new ArrayList<>();
        Handlers handlers = Handlers.of("fanout")
                .on(EventTypes.RECEIPT_READ, (r, context) -> {
                    times.add(context.time());
                    context.emit(EventTypes.RECEIPT_DELIVERED, new Receipt(r.conversationId(), r.seq()));
                    return Reply.none();
                })
                .emittingTo(new im.parley.eventing.broker.BrokerSink() {
                    @Override
                    public java.util.concurrent.CompletionStage<Void> publish(CloudEvent event) {
                        published.add(event);
                        return java.util.concurrent.CompletableFuture.completedFuture(null);
                    }

                    @Override
                    public void close() {
                    }
                })
                .build();
        CloudEvent cause = Events.create(EventTypes.RECEIPT_READ, new Receipt("g:crew", 4), BOB, TIER);
        assertThat(handlers.apply(cause)).isNull();
        assertThat(times).containsExactly(cause.getTime().toInstant());
        assertThat(published).singleElement().satisfies(e -> {
            assertThat(e.getType()).isEqualTo(EventTypes.RECEIPT_DELIVERED.type());
            assertThat(e.getSource()).isEqualTo(Events.functionSource("fanout"));
            assertThat(Actor.require(e)).isEqualTo(BOB);
        });
        Handlers mute = Handlers.of("mute").on(EventTypes.RECEIPT_READ, (r, context) -> {
            context.emit(EventTypes.RECEIPT_DELIVERED, r);
            return Reply.none();
        }).build();
        assertThatThrownBy(() -> mute.apply(cause)).hasMessageContaining("without a broker");
    }

    @Test
    void aTypeOnlyTheCatalogKnowsIsReadIntoTheFunctionsOwnRecord() {
        List<Typing> seen = new ArrayList<>();
        Handlers handlers = Handlers.of("typing")
                .on("im.parley.typing.changed", Typing.class, (t, actor) -> {
                    seen.add(t);
                    return Reply.none();
                })
                .build();
        CloudEvent event = CloudEventBuilder.v1().withId("1").withSource(TIER).withType("im.parley.typing.changed")
                .withData("application/json", "{\"conversationId\":\"g:crew\",\"state\":\"typing\"}".getBytes(StandardCharsets.UTF_8))
                .build();
        handlers.apply(event);
        assertThat(seen).containsExactly(new Typing("g:crew", "typing"));
    }

    @Test
    void anotherTypeIsRefusedAsInvalidNamingWhatIsHandled() {
        Handlers handlers = Handlers.of("receipt").on(EventTypes.RECEIPT_READ, (r, a) -> Reply.none()).build();
        assertThatThrownBy(() -> handlers.apply(Events.create(EventTypes.RECEIPT_DELIVERED, new Receipt("g:crew", 1), BOB, TIER)))
                .isInstanceOf(InvalidEventException.class)
                .hasMessageContaining("receipt has no handler for im.parley.receipt.delivered")
                .hasMessageContaining(EventTypes.RECEIPT_READ.type());
    }

    @Test
    void aTypeHasOneHandlerAndAFunctionAtLeastOne() {
        assertThatThrownBy(() -> Handlers.of("receipt").on(EventTypes.RECEIPT_READ, (r, a) -> Reply.none())
                .on(EventTypes.RECEIPT_READ, (r, a) -> Reply.none())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Handlers.of("nothing").build()).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void triggerTypesAreReadFromTheManifests() {
        assertThat(TriggerTypes.of("receipt")).containsExactly(EventTypes.RECEIPT_DELIVERED.type(), EventTypes.RECEIPT_READ.type());
    }
}
