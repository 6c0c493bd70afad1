package im.parley.connection.server;

import im.parley.connection.protocol.DownstreamFrames;
import im.parley.eventing.connection.ConnectionClosed;
import im.parley.eventing.tracing.Tracing;
import io.cloudevents.CloudEvent;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands each {@link Frames.Upstream} event to the broker, off the event loop, as the root of a trace: the span
 * lasts until the broker has the event, and the event carries its context to every function it reaches. A
 * connection with {@link #MAX_IN_FLIGHT} frames not yet answered stops being read until half are: its client waits
 * in TCP instead of the tier's memory. A frame the broker does not take is answered {@code unavailable}, naming it, to be resent.
 */
@ChannelHandler.Sharable
final class Ingress extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(Ingress.class);
    static final int MAX_IN_FLIGHT = 64;

    private final Node node;

    Ingress(Node node) {
        this.node = node;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof Frames.Upstream upstream)) {
            ctx.fireChannelRead(msg);
            return;
        }
        Session session = Session.of(ctx.channel());
        if (session.sent() >= MAX_IN_FLIGHT && !session.paused) {
            session.paused = true;
            ctx.channel().config().setAutoRead(false);
        }
        long t0 = System.nanoTime();
        Span span = Tracing.tracer().spanBuilder("publish " + upstream.event().getType()).setSpanKind(SpanKind.PRODUCER)
                .setAttribute("parley.user", session.actor.userId()).startSpan();
        CloudEvent event = Tracing.stamp(upstream.event(), span);
        node.publisher().publish(event).whenComplete((ok, failure) -> {
            if (session.answered() == MAX_IN_FLIGHT / 2) {
                resume(session);
            }
            if (failure == null) {
                node.metrics().produced(System.nanoTime() - t0);
                if (LOG.isDebugEnabled()) {
                    Tracing.log(span, () -> LOG.debug("published {} {} from {}", event.getType(), event.getId(), session.actor));
                }
            } else {
                span.setStatus(StatusCode.ERROR, failure.toString());
                Tracing.log(span, () -> refused(session, upstream, failure));
            }
            span.end();
        });
    }

    /** The broker did not take the frame's event: the client is told to resend it. */
    private void refused(Session session, Frames.Upstream upstream, Throwable failure) {
        node.metrics().produceFailed();
        LOG.warn("broker refused {} from {}: {}", upstream.event().getType(), session.actor, failure.toString());
        Channel channel = session.channel;
        if (channel.isActive()) {
            channel.writeAndFlush(new TextWebSocketFrame(DownstreamFrames.unavailable(upstream.requestId(),
                    upstream.clientMsgId())), channel.voidPromise());
        }
    }

    private static void resume(Session session) {
        session.channel.eventLoop().execute(() -> {
            if (session.paused) {
                session.paused = false;
                session.channel.config().setAutoRead(true);
            }
        });
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("closing {} after {}", ctx.channel(), cause.toString());
        ctx.channel().attr(Node.CLOSE_REASON).setIfAbsent(ConnectionClosed.Reason.PROTOCOL_ERROR);
        ctx.close();
    }
}
