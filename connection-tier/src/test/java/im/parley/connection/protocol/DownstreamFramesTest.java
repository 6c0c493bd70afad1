package im.parley.connection.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import im.parley.eventing.EventJson;
import im.parley.eventing.schema.EventSchemas;
import java.util.List;
import org.junit.jupiter.api.Test;

class DownstreamFramesTest {

    @Test
    void everyFrameTheTierWritesMatchesTheProtocolsSchema() throws Exception {
        for (String frame : List.of(DownstreamFrames.welcome("alice", "phone", "node-1"),
                DownstreamFrames.error("r1", "invalid", "\"d\" must be an object"),
                DownstreamFrames.error(null, "malformed", "frame is not JSON"),
                DownstreamFrames.unavailable("s1", "c-1"), DownstreamFrames.unavailable(null, null),
                DownstreamFrames.pong("p1"), DownstreamFrames.pong(null), DownstreamFrames.reconnect(),
                DownstreamFrames.resync())) {
            assertThat(EventSchemas.frameViolations(EventJson.MAPPER.readTree(frame))).as(frame).isEmpty();
        }
    }
}
