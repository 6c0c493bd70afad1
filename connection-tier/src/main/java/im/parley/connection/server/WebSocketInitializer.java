package im.parley.connection.server;

import im.parley.connection.heartbeat.Liveness;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.handler.ssl.SslContext;

/**
 * A connection's whole pipeline, in order. Each concern is one handler: liveness (heartbeats), TLS, HTTP and the
 * WebSocket handshake, authentication (until done), admission (expiry, rate, frame kinds), frames to events, and
 * ingress to the broker.
 */
final class WebSocketInitializer extends ChannelInitializer<SocketChannel> {

    static final String PATH = "/ws";

    private final Node node;
    private final SslContext ssl;
    private final WebSocketServerProtocolConfig websocket;
    private final int idleIntervals;
    // Shared by every connection: what a connection keeps of its own is in its Session.
    private final Authentication authentication;
    private final Admission admission;
    private final Frames frames;
    private final Ingress ingress;

    WebSocketInitializer(Node node, SslContext ssl) {
        this.node = node;
        this.ssl = ssl;
        long ping = node.settings().pingInterval().toMillis();
        this.idleIntervals = (int) ((node.settings().idleTimeout().toMillis() + ping - 1) / ping);
        this.authentication = new Authentication(node);
        this.admission = new Admission(node);
        this.frames = new Frames(node);
        this.ingress = new Ingress(node);
        this.websocket = WebSocketServerProtocolConfig.newBuilder()
                .websocketPath(PATH)
                .checkStartsWith(true)
                .maxFramePayloadLength(node.settings().maxFrameBytes())
                .handshakeTimeoutMillis(10_000)
                .dropPongFrames(true)
                .build();
    }

    @Override
    protected void initChannel(SocketChannel channel) {
        ChannelPipeline pipeline = channel.pipeline();
        pipeline.addLast("liveness", new Liveness(node.heartbeats(), idleIntervals));
        if (ssl != null) {
            pipeline.addLast("tls", ssl.newHandler(channel.alloc()));
        }
        pipeline.addLast("http", new HttpServerCodec(4096, 8192, 8192));
        pipeline.addLast("handshake", new HttpObjectAggregator(8192));
        // Frames larger than maxFrameBytes are refused here, with close code 1009.
        pipeline.addLast("websocket", new WebSocketServerProtocolHandler(websocket));
        pipeline.addLast("fragments", new Fragments(node.settings().maxFrameBytes()));
        pipeline.addLast("outbound-limit", new OutboundLimit(node, node.settings().outboundBytes()));
        pipeline.addLast("authentication", authentication);
        pipeline.addLast("admission", admission);
        pipeline.addLast("frames", frames);
        pipeline.addLast("ingress", ingress);
    }
}
