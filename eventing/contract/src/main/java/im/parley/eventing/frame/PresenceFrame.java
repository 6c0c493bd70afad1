package im.parley.eventing.frame;

import im.parley.eventing.presence.PresenceState;
import java.time.Instant;

/** {@code presence}: a friend's or watched user's state, and since when. */
public record PresenceFrame(String userId, PresenceState state, Instant since) implements FrameData {

    @Override
    public String t() {
        return "presence";
    }
}
