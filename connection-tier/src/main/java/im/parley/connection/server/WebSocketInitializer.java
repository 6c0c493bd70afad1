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

/** A connection's whole pipeline, in order. Each concern is one handler. */
final class WebSocketInitializer extends ChannelInitializer<SocketChannel> {

    static final String PATH = "/ws";

    private final Node node;
    private final SslContext ssl;
    private final WebSocketServerProtocolConfig websocket;

    WebSocketInitializer(Node node, SslContext ssl) {
        this.node = node;
        this.ssl = ssl;
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
        Liveness liveness = new Liveness();
        pipeline.addLast("liveness", liveness);
        if (ssl != null) {
            pipeline.addLast("tls", ssl.newHandler(channel.alloc()));
        }
        pipeline.addLast("http", new HttpServerCodec(4096, 8192, 8192));
        pipeline.addLast("handshake", new HttpObjectAggregator(8192));
        // Frames larger than maxFrameBytes are refused here, with close code 1009.
        pipeline.addLast("websocket", new WebSocketServerProtocolHandler(websocket));
        pipeline.addLast("connection", new ConnectionHandler(node, liveness));
    }
}
