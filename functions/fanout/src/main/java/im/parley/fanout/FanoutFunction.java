package im.parley.fanout;

import com.fasterxml.jackson.databind.node.ObjectNode;
import im.parley.eventing.Actor;
import im.parley.eventing.EventJson;
import im.parley.eventing.EventTypes;
import im.parley.eventing.Events;
import im.parley.eventing.delivery.DeliveryBatch;
import im.parley.eventing.delivery.Frames;
import im.parley.eventing.message.DeviceRef;
import im.parley.eventing.message.Message;
import im.parley.eventing.message.MessagePersisted;
import im.parley.eventing.message.MessageRejected;
import im.parley.membership.Members;
import im.parley.presence.Presence;
import io.cloudevents.CloudEvent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * {@code im.parley.message.persisted}: the message to every online device of every member but the sending
 * device, and the sender's {@code ack}, in one delivery batch per connection node. The ack goes to the node
 * the message came from, so it is sent only once the message is stored. {@code im.parley.message.rejected}: an
 * {@code error} frame to the sending device, naming the clientMsgId. Nothing is replied to the broker.
 */
public final class FanoutFunction implements Function<CloudEvent, CloudEvent> {

    private final Members members;
    private final Presence presence;
    private final Consumer<DeliveryBatch> deliveries;

    public FanoutFunction(Members members, Presence presence, Consumer<DeliveryBatch> deliveries) {
        this.members = members;
        this.presence = presence;
        this.deliveries = deliveries;
    }

    @Override
    public CloudEvent apply(CloudEvent event) {
        if (event.getType().equals(EventTypes.MESSAGE_PERSISTED.type())) {
            MessagePersisted persisted = Events.data(EventTypes.MESSAGE_PERSISTED, event);
            persisted(persisted.message(), Boolean.TRUE.equals(persisted.duplicate()), Actor.require(event));
        } else if (event.getType().equals(EventTypes.MESSAGE_REJECTED.type())) {
            rejected(Events.data(EventTypes.MESSAGE_REJECTED, event), Actor.require(event));
        } else {
            throw new IllegalArgumentException("fanout does not handle " + event.getType() + " yet");
        }
        return null;
    }

    /** A duplicate (a retried clientMsgId) was delivered with its original: only the sender is acked again. */
    private void persisted(Message message, boolean duplicate, Actor sender) {
        DeviceRef sendingDevice = new DeviceRef(sender.userId(), sender.deviceId());
        Map<String, List<DeviceRef>> targetsByNode = duplicate ? Map.of()
                : presence.byNode(members.of(message.conversationId()), sendingDevice);
        ObjectNode msg = Frames.of("msg", EventJson.MAPPER.valueToTree(message));
        ObjectNode ack = Frames.of("ack", EventJson.MAPPER.createObjectNode().put("clientMsgId", message.clientMsgId())
                .put("conversationId", message.conversationId()).put("serverSeq", message.serverSeq()));
        Map<String, List<DeliveryBatch.Item>> items = new LinkedHashMap<>();
        targetsByNode.forEach((node, targets) -> items.computeIfAbsent(node, n -> new ArrayList<>())
                .add(new DeliveryBatch.Item(targets, msg)));
        items.computeIfAbsent(sender.nodeId(), n -> new ArrayList<>()).add(new DeliveryBatch.Item(List.of(sendingDevice), ack));
        items.forEach((node, nodeItems) -> deliveries.accept(new DeliveryBatch(node, nodeItems)));
    }

    private void rejected(MessageRejected rejected, Actor sender) {
        ObjectNode error = Frames.of("error", EventJson.MAPPER.createObjectNode().put("code", EventJson.MAPPER
                        .valueToTree(rejected.reason()).asText())
                .put("reason", "message not accepted").put("clientMsgId", rejected.clientMsgId())
                .put("conversationId", rejected.conversationId()));
        deliveries.accept(new DeliveryBatch(sender.nodeId(), List.of(new DeliveryBatch.Item(
                List.of(new DeviceRef(sender.userId(), sender.deviceId())), error))));
    }
}
