package im.parley.friend;

/** The social graph: friendships, pending requests and blocks. */
public interface Friendships {

    Relation relation(String userId, String otherId);

    int friendCount(String userId);

    /** A pending request from one user to another; {@code visible} false keeps it on the sender's side only. */
    void request(String from, String to, String message, String eventId, boolean visible);

    /** Both users become friends, and any request between them is gone. */
    void befriend(String a, String b);

    void dropRequest(String from, String to);

    void unfriend(String a, String b);

    /**
     * The user blocks the other: their friendship and the user's request are gone, and the other's request
     * disappears from the user's side while staying pending on theirs.
     */
    void block(String userId, String otherId);

    void unblock(String userId, String otherId);
}
