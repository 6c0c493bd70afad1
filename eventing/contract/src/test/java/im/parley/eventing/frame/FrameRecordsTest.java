package im.parley.eventing.frame;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import im.parley.eventing.delivery.Frames;
import im.parley.eventing.presence.PresenceState;
import im.parley.eventing.schema.EventSchemas;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each frame record makes a frame that frames.schema.json accepts, with absent fields left out. */
class FrameRecordsTest {

    static final List<FrameData> SAMPLES = List.of(
            new AckFrame("c1", "d:alice:bob", 7),
            new ErrorFrame("not-friends", "you are not friends", "c1", "d:alice:bob", null, null),
            ErrorFrame.aboutUser("BLOCKED", "unblock first", "bob"),
            ErrorFrame.aboutGroup("GROUP_UNKNOWN", "no such group", "crew"),
            ErrorFrame.of("LIMIT_EXCEEDED", "at most 500 watched users"),
            new ReceiptFrame("g:crew", "bob", ReceiptFrame.Kind.READ, 3),
            new ReceiptsFrame("g:crew", ReceiptFrame.Kind.READ, List.of(new ReceiptsFrame.Reader("bob", 3))),
            new FriendFrame(FriendFrame.Change.REQUESTED, "bob", "alice", "hi"),
            new FriendFrame(FriendFrame.Change.ACCEPTED, "alice", "bob", null),
            new InvitationFrame(InvitationFrame.Change.INVITED, "crew", "Crew", "alice"),
            new PresenceFrame("bob", PresenceState.AWAY, Instant.parse("2026-12-05T10:00:00Z")));

    @Test
    void everyRecordMakesAFrameOnTheProtocol() {
        for (FrameData data : SAMPLES) {
            ObjectNode frame = Frames.of(data);
            assertThat(frame.path("t").asText()).isEqualTo(data.t());
            assertThat(EventSchemas.frameViolations(frame)).as(frame.toString()).isEmpty();
        }
        assertThat(Frames.of(ErrorFrame.aboutUser("BLOCKED", "unblock first", "bob")).path("d").fieldNames())
                .toIterable().containsExactly("code", "reason", "userId");
        assertThat(Frames.of(new ReceiptFrame("g:crew", "bob", ReceiptFrame.Kind.DELIVERED, 3)).path("d").path("kind")
                .asText()).isEqualTo("delivered");
    }
}
