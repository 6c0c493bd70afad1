package im.parley.connection.delivery;

import com.fasterxml.jackson.core.JsonProcessingException;
import im.parley.connection.TierMetrics;
import im.parley.connection.protocol.CloseCodes;
import im.parley.connection.protocol.DownstreamFrames;
import im.parley.connection.server.Disconnect;
import im.parley.connection.server.Node;
import im.parley.connection.session.SessionRegistry;
import im.parley.eventing.EventJson;
import im.parley.eventing.EventTypes;
import im.parley.eventing.Events;
import im.parley.eventing.connection.ConnectionClosed;
import im.parley.eventing.delivery.DeliveryBatch;
import im.parley.eventing.message.DeviceRef;
import im.parley.eventing.sync.SyncResponded;
import io.cloudevents.CloudEvent;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes deliveries to the sockets of this node. Each frame is encoded once into one buffer that every
 * target shares. A socket whose outbound queue is full belongs to a client that does not read: it is
 * closed with a reason instead of letting its queue grow.
 */
public final class DeliveryWriter {

    private static final Logger LOG = LoggerFactory.getLogger(DeliveryWriter.class);

    private final SessionRegistry sessions;
    private final TierMetrics metrics;

    public DeliveryWriter(SessionRegistry sessions, TierMetrics metrics) {
        this.sessions = sessions;
        this.metrics = metrics;
    }

    public void deliver(CloudEvent event) {
        if (EventTypes.DELIVERY_BATCH.type().equals(event.getType())) {
            for (DeliveryBatch.Item item : Events.data(EventTypes.DELIVERY_BATCH, event).items()) {
                write(encode(item.frame()), item.targets());
            }
        } else if (EventTypes.SYNC_RESPONDED.type().equals(event.getType())) {
            SyncResponded response = Events.data(EventTypes.SYNC_RESPONDED, event);
            String frame = DownstreamFrames.frame("sync", response.requestId(), EventJson.MAPPER.valueToTree(response));
            write(frame.getBytes(java.nio.charset.StandardCharsets.UTF_8), List.of(response.target()));
        } else {
            LOG.warn("ignoring {} on the delivery channel", event.getType());
        }
    }

    private static byte[] encode(Object frame) {
        try {
            return EventJson.MAPPER.writeValueAsBytes(frame);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private void write(byte[] frame, List<DeviceRef> targets) {
        ByteBuf shared = null;
        try {
            for (DeviceRef target : targets) {
                Channel channel = sessions.find(target.userId(), target.deviceId());
                if (channel == null || !channel.isActive()) {
                    metrics.deliveryMissed();
                    continue;
                }
                if (!channel.isWritable()) {
                    if (channel.hasAttr(Node.CLOSE_REASON)) {
                        continue; // already being closed
                    }
                    metrics.slowConsumer();
                    Disconnect.close(channel, ConnectionClosed.Reason.SLOW_CONSUMER, CloseCodes.SLOW_CONSUMER,
                            "slow consumer: not reading");
                    continue;
                }
                if (shared == null) {
                    shared = channel.alloc().directBuffer(frame.length).writeBytes(frame);
                }
                channel.writeAndFlush(new TextWebSocketFrame(shared.retainedDuplicate()), channel.voidPromise());
                metrics.frameOut();
            }
        } finally {
            if (shared != null) {
                shared.release();
            }
        }
    }
}
