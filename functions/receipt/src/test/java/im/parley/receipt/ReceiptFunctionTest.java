package im.parley.receipt;

import static org.assertj.core.api.Assertions.assertThat;

import im.parley.delivery.InMemoryDeliveries;
import im.parley.eventing.Actor;
import im.parley.eventing.EventTypes;
import im.parley.eventing.Events;
import im.parley.eventing.delivery.DeliveryBatch;
import im.parley.eventing.message.DeviceRef;
import im.parley.eventing.receipt.Receipt;
import im.parley.functions.handlers.Handlers;
import im.parley.functions.handlers.TriggerTypes;
import io.cloudevents.CloudEvent;
import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReceiptFunctionTest {

    final Map<String, Long> marks = new HashMap<>();
    final InMemoryDeliveries deliveries = new InMemoryDeliveries();
    final List<DeliveryBatch> sent = deliveries.sent;
    final Map<String, Long> gathered = new HashMap<>();

    {
        deliveries.online.putAll(Map.of(new DeviceRef("alice", "phone"), "n1", new DeviceRef("bob", "phone"), "n2",
                new DeviceRef("bob", "laptop"), "n1"));
    }

    Handlers function(int broadcastLimit) {
        return new ReceiptFunction(new Watermarks() {
            @Override
            public void raise(String conversationId, String userId, Kind kind, long seq) {
                marks.merge(conversationId + "/" + userId + "/" + kind, seq, Math::max);
            }

            @Override
            public long lastSeq(String conversationId) {
                return 10;
            }
        }, c -> c.startsWith("d:") ? List.of("alice", "bob") : List.of("alice", "bob", "carol"),
                deliveries, broadcastLimit, new ReceiptBatches() {
                    @Override
                    public void add(String conversationId, String userId, long seq) {
                        gathered.merge(conversationId + "/" + userId, seq, Math::max);
                    }

                    @Override
                    public Map<String, Long> gathered(String conversationId) {
                        throw new UnsupportedOperationException("the flusher tells batches, not the function");
                    }

                    @Override
                    public void told(String conversationId, Map<String, Long> told) {
                        throw new UnsupportedOperationException("the flusher tells batches, not the function");
                    }
                }).handlers();
    }

    @Test
    void itHandlesExactlyItsTriggersTypes() {
        assertThat(function(100).types()).containsExactlyInAnyOrderElementsOf(TriggerTypes.of("receipt"));
    }

    static CloudEvent read(String user, String conversation, long seq) {
        return Events.create(EventTypes.RECEIPT_READ, new Receipt(conversation, seq), new Actor(user, "phone", "n2"),
                URI.create("/parley/nodes/n2"));
    }

    @Test
    void aReadMovesTheWatermarkAndTellsThePeerAndTheReadersOtherDevices() {
        assertThat(function(100).apply(read("bob", "d:alice:bob", 7))).isNull();
        assertThat(marks).containsEntry("d:alice:bob/bob/READ", 7L);
        assertThat(sent).hasSize(1);
        assertThat(sent.get(0).nodeId()).isEqualTo("n1");
        assertThat(sent.get(0).items().get(0).targets()).containsExactlyInAnyOrder(new DeviceRef("alice", "phone"),
                new DeviceRef("bob", "laptop"));
        assertThat(sent.get(0).items().get(0).frame().path("d").path("seq").asLong()).isEqualTo(7);
        assertThat(sent.get(0).items().get(0).frame().path("d").path("kind").asText()).isEqualTo("read");
    }

    @Test
    void aWatermarkNeverPassesTheLastStoredSeq() {
        function(100).apply(read("bob", "d:alice:bob", 99));
        assertThat(marks).containsEntry("d:alice:bob/bob/READ", 10L);
    }

    @Test
    void largeGroupsTellTheReadersOwnDevicesAtOnceAndGatherReadsForABatchAndStrangersAreIgnored() {
        function(2).apply(read("bob", "g:crew", 5));
        assertThat(sent).singleElement().satisfies(b -> assertThat(b.items().get(0).targets())
                .containsExactly(new DeviceRef("bob", "laptop")));
        assertThat(gathered).containsExactly(Map.entry("g:crew/bob", 5L));
        function(100).apply(read("bob", "g:crew", 6));
        assertThat(gathered).as("small groups are told at once").containsExactly(Map.entry("g:crew/bob", 5L));
        sent.clear();
        function(100).apply(read("mallory", "d:alice:bob", 5));
        assertThat(sent).isEmpty();
        assertThat(marks).doesNotContainKey("d:alice:bob/mallory/READ");
    }
}
