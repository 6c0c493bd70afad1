package im.parley.connection.delivery;

import im.parley.connection.TierMetrics;
import im.parley.connection.protocol.DownstreamFrames;
import im.parley.connection.session.SessionRegistry;
import im.parley.eventing.delivery.DeliveryChannel;
import im.parley.eventing.message.DeviceRef;
import im.parley.eventing.tracing.Tracing;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes deliveries to the sockets of this node. Each frame arrives encoded, and is copied once into one buffer
 * that every target shares, in one task per event loop. A client that does not read is found by the socket's own bound (OutboundLimit).
 */
public final class DeliveryWriter {

    private static final Logger LOG = LoggerFactory.getLogger(DeliveryWriter.class);

    static final int PER_TASK = 256;

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

    /**
     * The number of devices written to. The targets are grouped by their event loop and each loop is handed one task
     * that writes to all of its sockets: a write from outside a loop would cost a task and a queue insertion per
     * socket. A socket's frames keep their order, since they all pass through its loop's queue as before. A task
     * writes at most {@value #PER_TASK} sockets, so that a large group does not hold a loop's reads for long.
     */
    private int write(byte[] frame, List<DeviceRef> targets) {
        Map<EventLoop, List<Channel>> byLoop = new IdentityHashMap<>();
        ByteBufAllocator alloc = null;
        for (DeviceRef target : targets) {
            Channel channel = sessions.find(target.userId(), target.deviceId());
            if (channel == null || !channel.isActive()) {
                metrics.deliveryMissed();
                continue;
            }
            alloc = channel.alloc();
            byLoop.computeIfAbsent(channel.eventLoop(), loop -> new ArrayList<>()).add(channel);
        }
        if (byLoop.isEmpty()) {
            return 0;
        }
        int written = 0;
        ByteBuf shared = alloc.directBuffer(frame.length).writeBytes(frame);
        try {
            for (Map.Entry<EventLoop, List<Channel>> loop : byLoop.entrySet()) {
                List<Channel> channels = loop.getValue();
                for (int from = 0; from < channels.size(); from += PER_TASK) {
                    written += hand(loop.getKey(), channels.subList(from, Math.min(channels.size(), from + PER_TASK)), shared);
                }
            }
        } finally {
            shared.release();
        }
        return written;
    }

    /** Writes the frame to the loop's channels on the loop; the number handed over. */
    private int hand(EventLoop loop, List<Channel> channels, ByteBuf shared) {
        ByteBuf mine = shared.retain();
        Runnable writes = () -> {
            try {
                for (Channel channel : channels) {
                    channel.writeAndFlush(new TextWebSocketFrame(mine.retainedDuplicate()), channel.voidPromise());
                }
            } finally {
                mine.release();
            }
        };
        try {
            if (loop.inEventLoop()) {
                writes.run();
            } else {
                loop.execute(writes);
            }
        } catch (RejectedExecutionException shuttingDown) {
            mine.release();
            channels.forEach(channel -> metrics.deliveryMissed());
            return 0;
        }
        channels.forEach(channel -> metrics.frameOut());
        return channels.size();
    }
}
