package im.parley.connection.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import im.parley.connection.auth.DevTokens;
import im.parley.eventing.EventJson;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.ResourceLeakDetector;
import java.time.Duration;
import java.util.Arrays;

/**
 * Any upstream frame, text or binary, through the tier's handlers: it becomes an event, a pong or an error frame,
 * or closes the socket with a code, and it is released. Nothing is thrown through the pipeline. {@code ./parley
 * test} fuzzes it for a short while (coverage-guided, Jazzer); the inputs under {@code FrameFuzzTestInputs} are
 * replayed by every test run, crashes found included.
 */
class FrameFuzzTest {

    static {
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
    }

    static final Pipelines NODE = new Pipelines(1e9, 1_000_000_000);
    static final String TOKEN = DevTokens.mint(Pipelines.SECRET, "fuzz", null, Duration.ofDays(1));

    @FuzzTest(maxDuration = "30s")
    void anyFrameIsTakenRefusedOrClosedCleanly(byte[] input) throws Exception {
        check(input);
    }

    /** The first byte picks the kind: 'B' for a binary frame of the rest, anything else a text frame of all. */
    static void check(byte[] input) throws Exception {
        boolean binary = input.length > 0 && input[0] == 'B';
        byte[] payload = binary ? Arrays.copyOfRange(input, 1, input.length) : input;
        ByteBuf content = Unpooled.buffer(payload.length).writeBytes(payload); // counted even when empty
        WebSocketFrame frame = binary ? new BinaryWebSocketFrame(content) : new TextWebSocketFrame(content);
        NODE.sink.clear();
        EmbeddedChannel channel = NODE.connect(TOKEN);
        try {
            drain(channel); // the welcome
            channel.writeInbound(frame);
            channel.runPendingTasks();
            channel.checkException();
            assertThat(content.refCnt()).as("the frame is released: %s", new String(input)).isZero();
            for (Object out; (out = channel.readOutbound()) != null; ) {
                try {
                    if (out instanceof TextWebSocketFrame text) {
                        JsonNode reply = EventJson.MAPPER.readTree(text.text());
                        assertThat(reply.path("t").asText()).isIn("pong", "error");
                    } else {
                        assertThat(out).isInstanceOf(CloseWebSocketFrame.class);
                        assertThat(((CloseWebSocketFrame) out).statusCode()).isBetween(1000, 4999);
                    }
                } finally {
                    ReferenceCountUtil.release(out);
                }
            }
        } finally {
            channel.finishAndReleaseAll();
            if (frame.refCnt() > 0) {
                frame.release(frame.refCnt());
            }
        }
    }

    private static void drain(EmbeddedChannel channel) {
        channel.runPendingTasks();
        for (Object out; (out = channel.readOutbound()) != null; ) {
            ReferenceCountUtil.release(out);
        }
    }
}
