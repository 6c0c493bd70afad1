package im.parley.friend;

import java.time.Instant;
import java.util.Optional;

/**
 * What lies between a user and another, seen from the user: friendship, a pending request either way (and whether
 * the user's own request reached the other, which it did not while they blocked the user), and a block either way.
 * {@code blockedBy} is only ever used to hide things from the user, never shown to them.
 */
public record Relation(boolean friends, Optional<Pending> outgoing, boolean outgoingArrived, Optional<Pending> incoming,
                       boolean blocking, boolean blockedBy) {

    /** A pending request as stored, under the id of the event that made it. */
    public record Pending(String eventId, String message, Instant at) {
    }

    public static Relation none() {
        return new Relation(false, Optional.empty(), false, Optional.empty(), false, false);
    }
}
