package im.parley.sequence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import im.parley.eventing.Actor;
import im.parley.eventing.EventTypes;
import im.parley.eventing.Events;
import im.parley.eventing.InvalidEventException;
import im.parley.eventing.message.ContentType;
import im.parley.eventing.message.DeviceRef;
import im.parley.eventing.message.Message;
import im.parley.eventing.message.MessageAmended;
import im.parley.eventing.message.MessageRejected;
import im.parley.eventing.message.MessageSent;
import im.parley.eventing.message.MessageSequenced;
import im.parley.functions.handlers.Handlers;
import im.parley.functions.handlers.TriggerTypes;
import im.parley.messages.RecentSeqs;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SequenceFunctionTest {

    static final Instant NOW = Instant.parse("2026-11-24T00:00:00Z");
    final InMemorySeqCache cache = new InMemorySeqCache(600);
    final InMemorySeqLedger ledger = new InMemorySeqLedger();
    final Handlers function = new SequenceFunction(new SequenceAllocator(cache, ledger,
            (conversation, user) -> user.equals("mallory") ? Optional.of(MessageRejected.Reason.BLOCKED) : Optional.empty(),
            new RecentSeqs()),
            Clock.fixed(NOW, ZoneOffset.UTC), Duration.ofMinutes(10)).handlers();

    @Test
    void itHandlesExactlyTheMessagingTriggersType() {
        assertThat(function.types()).containsExactlyInAnyOrderElementsOf(TriggerTypes.of("messaging"));
    }

    static CloudEvent sent(String user, String clientMsgId) {
        return Events.create(EventTypes.MESSAGE_SENT, new MessageSent("d:alice:bob", clientMsgId, ContentType.TEXT, "hi"),
                new Actor(user, "phone", "node-1"), URI.create("/parley/nodes/node-1"));
    }

    @Test
    void aMessageIsSequencedForItsAuthenticatedSenderAndKeepsItsKeyAndActor() {
        CloudEvent reply = function.apply(sent("alice", "c1"));
        assertThat(reply.getType()).isEqualTo(EventTypes.MESSAGE_SEQUENCED.type());
        MessageSequenced sequenced = Events.data(EventTypes.MESSAGE_SEQUENCED, reply);
        assertThat(sequenced.message().serverSeq()).isEqualTo(1);
        assertThat(sequenced.message().sender()).isEqualTo(new DeviceRef("alice", "phone"));
        assertThat(sequenced.duplicate()).isFalse();
        assertThat(reply.getExtension("partitionkey")).isEqualTo("d:alice:bob");
        assertThat(Actor.require(reply)).isEqualTo(new Actor("alice", "phone", "node-1"));

        MessageSequenced again = Events.data(EventTypes.MESSAGE_SEQUENCED, function.apply(sent("alice", "c1")));
        assertThat(again.message().serverSeq()).isEqualTo(1);
        assertThat(again.duplicate()).isTrue();
    }

    @Test
    void aRedeliveryOlderThanRedisRemembersGetsTheStoredSeq() {
        for (String id : new String[] {"c1", "c2"}) {
            CloudEvent event = CloudEventBuilder.v1(sent("alice", id)).withTime(NOW.atOffset(ZoneOffset.UTC)).build();
            Message m = Events.data(EventTypes.MESSAGE_SEQUENCED, function.apply(event)).message();
            ledger.stored(m.conversationId(), id, m.serverSeq());
        }
        cache.nowSeconds += 601; // c1's clientMsgId is forgotten; the counter is not young
        CloudEvent replayed = CloudEventBuilder.v1(sent("alice", "c1")).withTime(NOW.minusSeconds(601).atOffset(ZoneOffset.UTC))
                .build();
        MessageSequenced again = Events.data(EventTypes.MESSAGE_SEQUENCED, function.apply(replayed));
        assertThat(again.message().serverSeq()).isEqualTo(1);
        assertThat(again.duplicate()).isTrue();
    }

    @Test
    void aRefusedSenderIsToldWhyAndGetsNoSeq() {
        CloudEvent reply = function.apply(sent("mallory", "c9"));
        assertThat(reply.getType()).isEqualTo(EventTypes.MESSAGE_REJECTED.type());
        MessageRejected rejected = Events.data(EventTypes.MESSAGE_REJECTED, reply);
        assertThat(rejected.reason()).isEqualTo(MessageRejected.Reason.BLOCKED);
        assertThat(rejected.clientMsgId()).isEqualTo("c9");
        assertThat(Events.data(EventTypes.MESSAGE_SEQUENCED, function.apply(sent("alice", "c2"))).message().serverSeq())
                .isEqualTo(1);
    }

    @Test
    void anAmendmentTakesTheNextSeqOfItsConversationAndRefersToTheMessage() {
        function.apply(sent("alice", "c1"));
        ledger.stored("d:alice:bob", "c1", 1); // as persist would
        CloudEvent edit = Events.create(EventTypes.MESSAGE_AMENDED, new MessageAmended("d:alice:bob", "e1", 1,
                MessageAmended.Kind.EDIT, "hi, fixed"), new Actor("alice", "laptop", "node-2"), URI.create("/parley/functions/amend"));
        Message edited = Events.data(EventTypes.MESSAGE_SEQUENCED, function.apply(edit)).message();
        assertThat(edited.serverSeq()).isEqualTo(2);
        assertThat(edited.contentType()).isEqualTo(ContentType.EDIT);
        assertThat(edited.refersTo()).isEqualTo(1L);
        assertThat(edited.content()).isEqualTo("hi, fixed");
        assertThat(edited.sender()).isEqualTo(new DeviceRef("alice", "laptop"));
        ledger.stored("d:alice:bob", "e1", 2);
        // Redelivered, it keeps its seq; a recall has no content.
        assertThat(Events.data(EventTypes.MESSAGE_SEQUENCED, function.apply(edit)).message().serverSeq()).isEqualTo(2);
        CloudEvent recall = Events.create(EventTypes.MESSAGE_AMENDED, new MessageAmended("d:alice:bob", "r1", 1,
                MessageAmended.Kind.RECALL, null), new Actor("alice", "phone", "node-1"), URI.create("/parley/functions/amend"));
        Message recalled = Events.data(EventTypes.MESSAGE_SEQUENCED, function.apply(recall)).message();
        assertThat(recalled.serverSeq()).isEqualTo(3);
        assertThat(recalled.contentType()).isEqualTo(ContentType.RECALL);
        assertThat(recalled.content()).isEmpty();
        // One who may no longer post cannot amend either.
        CloudEvent blocked = Events.create(EventTypes.MESSAGE_AMENDED, new MessageAmended("d:alice:bob", "r2", 1,
                MessageAmended.Kind.RECALL, null), new Actor("mallory", "phone", "node-1"), URI.create("/parley/functions/amend"));
        assertThat(function.apply(blocked).getType()).isEqualTo(EventTypes.MESSAGE_REJECTED.type());
    }

    @Test
    void anEventOfAnotherTypeIsRefusedAsInvalid() {
        CloudEvent wrong = Events.create(EventTypes.MESSAGE_SENT, new MessageSent("d:alice:bob", "c1", ContentType.TEXT, "hi"),
                null, URI.create("/x"));
        assertThatThrownBy(() -> function.apply(wrong)).isInstanceOf(InvalidEventException.class);
    }
}
