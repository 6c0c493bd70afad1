package im.parley.persist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import im.parley.eventing.Actor;
import im.parley.eventing.EventTypes;
import im.parley.eventing.Events;
import im.parley.eventing.message.ContentType;
import im.parley.eventing.message.DeviceRef;
import im.parley.eventing.message.Message;
import im.parley.eventing.message.MessagePersisted;
import im.parley.eventing.message.MessageRejected;
import im.parley.eventing.message.MessageSequenced;
import im.parley.functions.handlers.Handlers;
import im.parley.messages.RecentSeqs;
import io.cloudevents.CloudEvent;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PersistFunctionTest {

    static final Message MESSAGE = new Message("d:alice:bob", "c1", 7, new DeviceRef("alice", "phone"), ContentType.TEXT,
            "hi", Instant.parse("2026-11-24T00:00:00Z"));

    static CloudEvent sequenced(Message m) {
        CloudEvent cause = Events.create(EventTypes.MESSAGE_SEQUENCED, new MessageSequenced(m, false),
                new Actor("alice", "phone", "node-1"), URI.create("/parley/functions/sequence"));
        return cause;
    }

    final RecentSeqs recent = new RecentSeqs();

    @Test
    void theMessageIsStoredBeforeTheReplyAndTheReplyKeepsKeyAndActor() {
        List<Message> stored = new ArrayList<>();
        recent.handedOut(MESSAGE.conversationId(), MESSAGE.serverSeq(), "r1");
        Handlers function = new PersistFunction((m, again) -> {
            stored.add(m);
            return m;
        }, recent, Clock.fixed(Instant.parse("2026-11-24T00:00:01Z"), ZoneOffset.UTC)).handlers();
        CloudEvent reply = function.apply(sequenced(MESSAGE));
        assertThat(stored).containsExactly(MESSAGE);
        assertThat(reply.getType()).isEqualTo(EventTypes.MESSAGE_PERSISTED.type());
        MessagePersisted persisted = Events.data(EventTypes.MESSAGE_PERSISTED, reply);
        assertThat(persisted.message()).isEqualTo(MESSAGE);
        assertThat(persisted.persistedAt()).isEqualTo(Instant.parse("2026-11-24T00:00:01Z"));
        assertThat(persisted.duplicate()).isFalse();
        assertThat(reply.getExtension("partitionkey")).isEqualTo("d:alice:bob");
        assertThat(Actor.require(reply).userId()).isEqualTo("alice");
        assertThat(recent.handedOutAndStored(MESSAGE.conversationId())).as("sequencing is told it is stored")
                .contains(new RecentSeqs.HandedOut(MESSAGE.serverSeq(), "r1"));
    }

    @Test
    void aFailedWriteGivesNoReplySoTheEventIsRetried() {
        recent.handedOut(MESSAGE.conversationId(), MESSAGE.serverSeq(), "r1");
        Handlers function = new PersistFunction((m, again) -> {
            throw new IllegalStateException("Cassandra unavailable");
        }, recent, Clock.systemUTC()).handlers();
        assertThatThrownBy(() -> function.apply(sequenced(MESSAGE))).hasMessageContaining("unavailable");
        assertThat(recent.handedOutAndStored(MESSAGE.conversationId())).as("nothing stored to tell of").isEmpty();
    }

    @Test
    void aRejectedMessagePassesOnWithItsDataAndActorAndIsNotStored() {
        List<Message> stored = new ArrayList<>();
        Handlers function = new PersistFunction((m, again) -> {
            stored.add(m);
            return m;
        }, recent, Clock.systemUTC()).handlers();
        MessageRejected rejected = new MessageRejected("d:alice:bob", "c1", new DeviceRef("alice", "phone"),
                MessageRejected.Reason.BLOCKED, null);
        CloudEvent reply = function.apply(Events.create(EventTypes.MESSAGE_REJECTED, rejected,
                new Actor("alice", "phone", "n1"), URI.create("/parley/functions/sequence")));
        assertThat(stored).isEmpty();
        assertThat(Events.data(EventTypes.MESSAGE_REJECTED, reply)).isEqualTo(rejected);
        assertThat(Actor.require(reply)).isEqualTo(new Actor("alice", "phone", "n1"));
        assertThat(reply.getExtension("partitionkey")).isEqualTo("d:alice:bob");
    }
}
