package im.parley.connection.delivery;

import im.parley.connection.TierMetrics;
import im.parley.connection.protocol.DownstreamFrames;
import im.parley.connection.session.SessionRegistry;
import im.parley.eventing.delivery.DeliveryChannel;
import im.parley.eventing.message.DeviceRef;
import im.parley.eventing.tracing.Tracing;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes deliveries to the sockets of this node. Each frame arrives encoded, and is copied once into one buffer
 * that every target shares. A client that does not read is found by the socket's own bound (OutboundLimit).
 */
public final class DeliveryWriter {

    private static final Logger LOG = LoggerFactory.getLogger(DeliveryWriter.class);

    private final SessionRegistry sessions;
    private final TierMetrics metrics;

    public DeliveryWriter(SessionRegistry sessions, TierMetrics metrics) {
        this.sessions = sessions;
        this.metrics = metrics;
    }

    /**
     * One entry of the node's delivery stream: the frame, as bytes, to each target device held here. A traced entry
     * is written under a span of its trace, the last of the frame's journey.
     */
    public void deliver(String targets, byte[] frame, String traceparent) {
        List<DeviceRef> devices = DeliveryChannel.Entry.decodeTargets(targets);
        if (traceparent == null) {
            write(frame, devices);
            return;
        }
        Span span = Tracing.tracer().spanBuilder("deliver").setParent(Tracing.parentOf(traceparent))
                .setSpanKind(SpanKind.CONSUMER).setAttribute("parley.targets", devices.size()).startSpan();
        try {
            int written = write(frame, devices);
            span.setAttribute("parley.written", written);
            if (LOG.isDebugEnabled()) {
                Tracing.log(span, () -> LOG.debug("delivered a frame to {} of {} devices", written, devices.size()));
            }
        } finally {
            span.end();
        }
    }

    /** Entries for this node were lost before it read them: every client here is told to catch up. */
    public void lost() {
        metrics.deliveryGap();
        byte[] frame = DownstreamFrames.resync().getBytes(StandardCharsets.UTF_8);
        List<DeviceRef> everyone = sessions.devices().map(d -> new DeviceRef(d.getKey(), d.getValue())).toList();
        write(frame, everyone);
    }

    /** The number of devices written to. */
    private int write(byte[] frame, List<DeviceRef> targets) {
        int written = 0;
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
                written++;
            }
        } finally {
            if (shared != null) {
                shared.release();
            }
        }
        return written;
    }
}
