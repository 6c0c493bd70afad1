package im.parley.connection.delivery;

import im.parley.connection.TierMetrics;
import im.parley.connection.protocol.DownstreamFrames;
import im.parley.connection.session.SessionRegistry;
import im.parley.eventing.delivery.DeliveryChannel;
import im.parley.eventing.message.DeviceRef;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Writes deliveries to the sockets of this node. Each frame arrives encoded, and is copied once into one buffer
 * that every target shares. A client that does not read is found by the socket's own bound (OutboundLimit).
 */
public final class DeliveryWriter {

    private final SessionRegistry sessions;
    private final TierMetrics metrics;

    public DeliveryWriter(SessionRegistry sessions, TierMetrics metrics) {
        this.sessions = sessions;
        this.metrics = metrics;
    }

    /** One entry of the node's delivery stream: the frame, as bytes, to each target device held here. */
    public void deliver(String targets, byte[] frame) {
        write(frame, DeliveryChannel.Entry.decodeTargets(targets));
    }

    /** Entries for this node were lost before it read them: every client here is told to catch up. */
    public void lost() {
        metrics.deliveryGap();
        byte[] frame = DownstreamFrames.resync().getBytes(StandardCharsets.UTF_8);
        List<DeviceRef> everyone = sessions.devices().map(d -> new DeviceRef(d.getKey(), d.getValue())).toList();
        write(frame, everyone);
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
