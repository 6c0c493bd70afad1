package im.parley.bench;

import im.parley.connection.auth.DevTokens;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakerFactory;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Opens N WebSocket connections and holds them idle (answering pings). Ready means: the handshake is done
 * and, when a token secret is given, the server's welcome frame arrived (the connection is authenticated).
 * Usage: IdleClients host port count userPrefix [secret] [sourceAddress]
 */
public final class IdleClients {

    public static void main(String[] args) throws Exception {
        String host = args[0];
        int port = Integer.parseInt(args[1]);
        int count = Integer.parseInt(args[2]);
        String prefix = args[3];
        String secret = args.length > 4 && !args[4].equals("-") ? args[4] : null;
        String source = args.length > 5 ? args[5] : null;
        AtomicInteger ready = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        Semaphore inFlight = new Semaphore(256);
        EpollEventLoopGroup group = new EpollEventLoopGroup(1);
        Bootstrap bootstrap = new Bootstrap().group(group).channel(EpollSocketChannel.class)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 20_000)
                // Binding a source address would otherwise pick a free port at bind time, a kernel search that
                // grows with every socket already bound; this defers the choice to connect, per destination.
                .option(EpollChannelOption.IP_BIND_ADDRESS_NO_PORT, true);
        long t0 = System.nanoTime();
        for (int i = 0; i < count; i++) {
            inFlight.acquire();
            String user = prefix + i;
            String query = secret == null ? "" : "?device=d&token=" + DevTokens.mint(secret, user, null, Duration.ofHours(2));
            URI uri = URI.create("ws://" + host + ":" + port + "/ws" + query);
            Bootstrap b = bootstrap.clone().handler(new ChannelInitializer<SocketChannel>() {
                @Override
                protected void initChannel(SocketChannel ch) {
                    ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(8192),
                            // A generous handshake timeout: on a saturated machine the measure is the server, not patience.
                            new WebSocketClientProtocolHandler(WebSocketClientHandshakerFactory.newHandshaker(
                                    uri, WebSocketVersion.V13, null, false, new DefaultHttpHeaders(), 65536),
                                    true, true, 60_000L),
                            new ChannelInboundHandlerAdapter() {
                                private boolean counted;

                                private void ready() {
                                    if (!counted) {
                                        counted = true;
                                        ready.incrementAndGet();
                                        inFlight.release();
                                    }
                                }

                                @Override
                                public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                                    if (evt == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_COMPLETE
                                            && secret == null) {
                                        ready();
                                    }
                                }

                                @Override
                                public void channelRead(ChannelHandlerContext ctx, Object msg) {
                                    if (msg instanceof TextWebSocketFrame) {
                                        ready();
                                    }
                                    ReferenceCountUtil.release(msg);
                                }

                                @Override
                                public void channelInactive(ChannelHandlerContext ctx) {
                                    if (!counted) {
                                        counted = true;
                                        failed.incrementAndGet();
                                        inFlight.release();
                                    }
                                }

                                @Override
                                public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                                    ctx.close();
                                }
                            });
                }
            });
            var connect = source == null ? b.connect(host, port)
                    : b.connect(new InetSocketAddress(host, port), new InetSocketAddress(source, 0));
            connect.addListener(f -> {
                if (!f.isSuccess()) {
                    failed.incrementAndGet();
                    inFlight.release();
                }
            });
        }
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (ready.get() + failed.get() < count && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        System.out.printf("CONNECTED %d FAILED %d SECONDS %.2f%n", ready.get(), failed.get(), seconds);
        System.out.flush();
        Thread.currentThread().join();
    }

    private IdleClients() {
    }

}
