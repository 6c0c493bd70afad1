package im.parley.connection.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import im.parley.connection.TierMetrics;
import im.parley.connection.session.SessionRegistry;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.DefaultEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.local.LocalAddress;
import io.netty.channel.local.LocalChannel;
import io.netty.channel.local.LocalServerChannel;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The writer over real event loops (Netty's in-process transport): every socket gets every frame once and in the
 * order the stream gave them, across loops, and the buffer the sockets share is freed once all have it.
 */
class DeliveryWriterTest {

    private final DefaultEventLoopGroup loops = new DefaultEventLoopGroup(3);
    private final SessionRegistry sessions = new SessionRegistry();
    private final TierMetrics metrics = new TierMetrics(sessions::size);
    private final Map<String, List<String>> received = new ConcurrentHashMap<>();
    private final UnpooledByteBufAllocator allocator = new UnpooledByteBufAllocator(true);

    @AfterEach
    void stop() throws Exception {
        loops.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        metrics.close();
    }

    @Test
    void eachSocketGetsEachFrameOnceAndInOrder() throws Exception {
        int devices = 519;
        connect(devices);
        DeliveryWriter writer = new DeliveryWriter(sessions, metrics);
        StringBuilder targets = new StringBuilder();
        for (int i = 0; i < devices; i++) {
            targets.append(i == 0 ? "" : ",").append("u").append(i).append("/d");
        }
        targets.append(",nobody/d");
        for (int frame = 1; frame <= 5; frame++) {
            writer.deliver(targets.toString(), ("frame " + frame).getBytes(StandardCharsets.UTF_8), null);
        }

        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while ((received.values().stream().mapToInt(List::size).sum() < 5 * devices
                || allocator.metric().usedDirectMemory() > 0) && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(received).hasSize(devices);
        assertThat(received.values()).allSatisfy(frames ->
                assertThat(frames).containsExactly("frame 1", "frame 2", "frame 3", "frame 4", "frame 5"));
        assertThat(metrics.scrape()).contains("parley_frames_out_total " + (5.0 * devices))
                .contains("parley_deliveries_missed_total 5.0");
        assertThat(allocator.metric().usedDirectMemory()).as("the frames' buffers, once every socket has read them")
                .isZero();
    }

    /** Sockets whose server side is registered as device d of u0…u(n-1), spread over the three loops. */
    private void connect(int devices) throws Exception {
        LocalAddress address = new LocalAddress("delivery-writer-" + System.nanoTime());
        LinkedBlockingQueue<Channel> accepted = new LinkedBlockingQueue<>();
        Channel server = new ServerBootstrap().group(loops).channel(LocalServerChannel.class)
                .childOption(ChannelOption.ALLOCATOR, allocator)
                .childHandler(new ChannelInitializer<LocalChannel>() {
                    @Override
                    protected void initChannel(LocalChannel channel) {
                        accepted.add(channel);
                    }
                }).bind(address).sync().channel();
        List<Channel> clients = new ArrayList<>();
        for (int i = 0; i < devices; i++) {
            String user = "u" + i;
            List<String> frames = new CopyOnWriteArrayList<>();
            received.put(user, frames);
            clients.add(new Bootstrap().group(loops).channel(LocalChannel.class)
                    .handler(new SimpleChannelInboundHandler<TextWebSocketFrame>() {
                        @Override
                        protected void channelRead0(ChannelHandlerContext ctx, TextWebSocketFrame frame) {
                            frames.add(frame.text());
                        }
                    }).connect(address).sync().channel());
            sessions.register(user, "d", accepted.poll(5, TimeUnit.SECONDS));
        }
        assertThat(clients).hasSize(devices);
        assertThat(server.isActive()).isTrue();
    }
}
