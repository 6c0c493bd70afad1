package im.parley.bench;

import im.parley.connection.auth.DevTokens;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakerFactory;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * Authenticated client WebSockets for the benchmarks, on a few Netty event loops: many sockets per process, no
 * thread per socket. A socket is ready once the tier's welcome has arrived; every later text frame goes to its
 * handler, on the event loop, with no copy kept.
 */
final class BenchSockets implements AutoCloseable {

    static final int MAX_FRAME = 16 << 20;

    private final String host;
    private final int port;
    private final String secret;
    private final EpollEventLoopGroup loops;
    private final Bootstrap bootstrap;

    BenchSockets(String host, int port, String secret, int threads) {
        this.host = host;
        this.port = port;
        this.secret = secret;
        this.loops = new EpollEventLoopGroup(threads);
        this.bootstrap = new Bootstrap().group(loops).channel(EpollSocketChannel.class)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 30_000).option(ChannelOption.TCP_NODELAY, true);
    }

    /** A connected, welcomed socket. */
    static final class Conn {
        private final Channel channel;

        Conn(Channel channel) {
            this.channel = channel;
        }

        void send(String text) {
            channel.writeAndFlush(new TextWebSocketFrame(text));
        }

        void close() {
            channel.close();
        }
    }

    CompletableFuture<Conn> open(String user, String device, Consumer<String> onText) {
        URI uri = URI.create("ws://" + host + ":" + port + "/ws?device=" + device + "&token="
                + DevTokens.mint(secret, user, null, Duration.ofHours(2)));
        CompletableFuture<Conn> ready = new CompletableFuture<>();
        bootstrap.clone().handler(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel ch) {
                ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(8192),
                        new WebSocketClientProtocolHandler(WebSocketClientHandshakerFactory.newHandshaker(uri,
                                WebSocketVersion.V13, null, false, new DefaultHttpHeaders(), MAX_FRAME), true, true, 60_000L),
                        new WebSocketFrameAggregator(MAX_FRAME),
                        new SimpleChannelInboundHandler<TextWebSocketFrame>() {
                            @Override
                            protected void channelRead0(ChannelHandlerContext ctx, TextWebSocketFrame frame) {
                                String text = frame.text();
                                if (!ready.isDone()) {
                                    if (text.contains("\"welcome\"")) {
                                        ready.complete(new Conn(ctx.channel()));
                                    }
                                    return;
                                }
                                onText.accept(text);
                            }

                            @Override
                            public void channelInactive(ChannelHandlerContext ctx) {
                                ready.completeExceptionally(new IllegalStateException("closed before welcome: " + user));
                            }

                            @Override
                            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                                ready.completeExceptionally(cause);
                                ctx.close();
                            }
                        });
            }
        }).connect(host, port).addListener(f -> {
            if (!f.isSuccess()) {
                ready.completeExceptionally(f.cause());
            }
        });
        return ready;
    }

    @Override
    public void close() {
        loops.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
    }
}
