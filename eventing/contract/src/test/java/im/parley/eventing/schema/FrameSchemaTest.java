package im.parley.eventing.schema;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import im.parley.eventing.EventJson;
import im.parley.eventing.delivery.Frames;
import java.io.IOException;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class FrameSchemaTest {

    private static JsonNode json(String text) throws IOException {
        return EventJson.MAPPER.readTree(text);
    }

    @Test
    void eachFrameTypeHasItsOwnShape() throws IOException {
        assertThat(EventSchemas.frameViolations(json("""
                {"v":1,"t":"ack","d":{"clientMsgId":"c1","conversationId":"d:alice:bob","serverSeq":3}}"""))).isEmpty();
        assertThat(EventSchemas.frameViolations(json("""
                {"v":1,"t":"msg","d":{"conversationId":"g:crew","clientMsgId":"c1","serverSeq":1,
                 "sender":{"userId":"alice","deviceId":"phone"},"contentType":"text","content":"hi",
                 "sentAt":"2026-12-05T10:00:00Z"}}"""))).isEmpty();
        assertThat(EventSchemas.frameViolations(json("""
                {"v":1,"t":"error","id":"r1","d":{"code":"invalid","reason":"no"}}"""))).isEmpty();
        assertThat(EventSchemas.frameViolations(json("""
                {"v":1,"t":"group","d":{"groupId":"crew","change":"joined","actor":"ann","memberCount":120,"version":4}}""")))
                .as("a group frame without its members, as above 100").isEmpty();
        assertThat(EventSchemas.frameViolations(json("{\"v\":1,\"t\":\"pong\",\"id\":\"p\"}"))).isEmpty();
        assertThat(EventSchemas.frameViolations(Frames.of("presence", EventJson.MAPPER.createObjectNode()
                .put("userId", "bob").put("state", "away").put("since", Instant.now().toString())))).isEmpty();
    }

    @Test
    void aFrameThatStraysFromItsShapeIsNamed() throws IOException {
        assertThat(EventSchemas.frameViolations(json("""
                {"v":1,"t":"ack","d":{"clientMsgId":"c1","conversationId":"d:alice:bob"}}""")))
                .anySatisfy(v -> assertThat(v).contains("serverSeq"));
        assertThat(EventSchemas.frameViolations(json("""
                {"v":1,"t":"receipt","d":{"conversationId":"g:crew","userId":"ann","kind":"seen","seq":2}}""")))
                .anySatisfy(v -> assertThat(v).contains("kind"));
        assertThat(EventSchemas.frameViolations(json("""
                {"v":1,"t":"friend","d":{"change":"requested","userId":"bob","actor":"ann","extra":1}}""")))
                .anySatisfy(v -> assertThat(v).contains("extra"));
        assertThat(EventSchemas.frameViolations(json("{\"v\":1,\"t\":\"nope\",\"d\":{}}")))
                .anySatisfy(v -> assertThat(v).contains("/t"));
        assertThat(EventSchemas.frameViolations(json("{\"t\":\"pong\"}"))).anySatisfy(v -> assertThat(v).contains("v"));
    }

    /** typing is a product function's frame: the catalog names its own schema file, not frames.schema.json. */
    @Test
    void aProductFramesOwnSchemaChecksIt() throws IOException {
        assertThat(EventSchemas.frameViolations(json("""
                {"v":1,"t":"typing","d":{"conversationId":"d:alice:bob","userId":"alice","state":"started",
                 "expiresInMs":5000}}"""))).isEmpty();
        assertThat(EventSchemas.frameViolations(json("""
                {"v":1,"t":"typing","d":{"conversationId":"d:alice:bob","userId":"alice","state":"dancing",
                 "expiresInMs":5000}}"""))).anySatisfy(v -> assertThat(v).contains("state"));
        assertThat(EventSchemas.frameViolations(json("""
                {"v":1,"t":"typing","d":{"conversationId":"d:alice:bob","userId":"alice","state":"started"}}""")))
                .anySatisfy(v -> assertThat(v).contains("expiresInMs"));
    }
}
