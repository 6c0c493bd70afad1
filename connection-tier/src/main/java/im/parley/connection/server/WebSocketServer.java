package im.parley.connection.server;

import im.parley.connection.protocol.CloseCodes;
import im.parley.connection.protocol.DownstreamFrames;
import im.parley.eventing.connection.ConnectionClosed;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.ssl.SslContext;
import java.net.InetSocketAddress;

/** The listening socket. With epoll, SO_REUSEPORT lets several processes share the port, as pods on one host. */
public final class WebSocketServer {

    private final Node node;
    private final EventLoopGroup boss;
    private final EventLoopGroup workers;
    private Channel listener;

    public WebSocketServer(Node node) {
        this.node = node;
        boolean epoll = Epoll.isAvailable();
        this.boss = epoll ? new EpollEventLoopGroup(1) : new NioEventLoopGroup(1);
        int threads = node.settings().ioThreads();
        this.workers = epoll ? new EpollEventLoopGroup(threads) : new NioEventLoopGroup(threads);
    }

    public int start(SslContext ssl) throws InterruptedException {
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(boss, workers)
                .channel(Epoll.isAvailable() ? EpollServerSocketChannel.class : NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 8192)
                .childOption(ChannelOption.TCP_NODELAY, true)
                // Small: past it frames wait whole in OutboundLimit, which can drop them for a client that does not read.
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK,
                        new WriteBufferWaterMark(OutboundLimit.NETTY_LOW, OutboundLimit.NETTY_HIGH))
                .childHandler(new WebSocketInitializer(node, ssl));
        if (Epoll.isAvailable()) {
            bootstrap.option(EpollChannelOption.SO_REUSEPORT, true);
        }
        listener = bootstrap.bind(node.settings().host(), node.settings().port()).sync().channel();
        return ((InetSocketAddress) listener.localAddress()).getPort();
    }

    public void stopAccepting() {
        if (listener != null) {
            listener.close().syncUninterruptibly();
        }
    }

    /** Tells every client to reconnect elsewhere and closes its socket with 1012. */
    public void dismissAll() {
        String reconnect = DownstreamFrames.reconnect();
        for (Channel channel : node.sessions().all()) {
            channel.attr(Node.CLOSE_REASON).setIfAbsent(ConnectionClosed.Reason.DRAIN);
            channel.write(new TextWebSocketFrame(reconnect), channel.voidPromise());
            Disconnect.close(channel, ConnectionClosed.Reason.DRAIN, CloseCodes.SERVICE_RESTART,
                    "server restarting; reconnect");
        }
    }

    public void shutdown() {
        boss.shutdownGracefully(0, 2, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
        workers.shutdownGracefully(0, 2, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
    }
}
