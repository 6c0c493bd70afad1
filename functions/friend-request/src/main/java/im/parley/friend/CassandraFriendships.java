package im.parley.friend;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.AsyncResultSet;
import com.datastax.oss.driver.api.core.cql.BatchStatement;
import com.datastax.oss.driver.api.core.cql.DefaultBatchType;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The social graph in {@code friends}, {@code friend_requests_in}, {@code friend_requests_out}, {@code blocks} and
 * {@code blockers} (the same blocks, by the blocked user).
 * Every change touching several rows is one logged batch, so a friendship and a block never coexist (the sequence
 * function relies on it) and a crash leaves no half-made friendship. Pending requests carry a TTL: they expire.
 */
public final class CassandraFriendships implements Friendships {

    private final CqlSession session;
    private final int requestTtlSeconds;
    private final PreparedStatement friend;
    private final PreparedStatement outgoing;
    private final PreparedStatement incoming;
    private final PreparedStatement blocked;
    private final PreparedStatement count;
    private final PreparedStatement insertOut;
    private final PreparedStatement insertIn;
    private final PreparedStatement deleteOut;
    private final PreparedStatement deleteIn;
    private final PreparedStatement insertFriend;
    private final PreparedStatement deleteFriend;
    private final PreparedStatement insertBlock;
    private final PreparedStatement deleteBlock;
    private final PreparedStatement insertBlocker;
    private final PreparedStatement deleteBlocker;

    /** @param requestTtl how long a request stays pending unanswered */
    public CassandraFriendships(CqlSession session, Duration requestTtl) {
        this.session = session;
        this.requestTtlSeconds = (int) Math.max(1, requestTtl.toSeconds());
        this.friend = session.prepare("SELECT since FROM friends WHERE user_id = ? AND friend_id = ?");
        this.outgoing = session.prepare("SELECT event_id, message, created_at FROM friend_requests_out WHERE from_user = ? AND to_user = ?");
        this.incoming = session.prepare("SELECT event_id, message, created_at FROM friend_requests_in WHERE to_user = ? AND from_user = ?");
        this.blocked = session.prepare("SELECT since FROM blocks WHERE user_id = ? AND blocked_id = ?");
        this.count = session.prepare("SELECT COUNT(*) FROM friends WHERE user_id = ?");
        this.insertOut = session.prepare("INSERT INTO friend_requests_out (from_user, to_user, event_id, message, created_at)"
                + " VALUES (?, ?, ?, ?, ?) USING TTL ?");
        this.insertIn = session.prepare("INSERT INTO friend_requests_in (to_user, from_user, event_id, message, created_at)"
                + " VALUES (?, ?, ?, ?, ?) USING TTL ?");
        this.deleteOut = session.prepare("DELETE FROM friend_requests_out WHERE from_user = ? AND to_user = ?");
        this.deleteIn = session.prepare("DELETE FROM friend_requests_in WHERE to_user = ? AND from_user = ?");
        this.insertFriend = session.prepare("INSERT INTO friends (user_id, friend_id, since) VALUES (?, ?, ?)");
        this.deleteFriend = session.prepare("DELETE FROM friends WHERE user_id = ? AND friend_id = ?");
        this.insertBlock = session.prepare("INSERT INTO blocks (user_id, blocked_id, since) VALUES (?, ?, ?)");
        this.deleteBlock = session.prepare("DELETE FROM blocks WHERE user_id = ? AND blocked_id = ?");
        this.insertBlocker = session.prepare("INSERT INTO blockers (user_id, blocker_id, since) VALUES (?, ?, ?)");
        this.deleteBlocker = session.prepare("DELETE FROM blockers WHERE user_id = ? AND blocker_id = ?");
    }

    @Override
    public Relation relation(String userId, String otherId) {
        CompletableFuture<Boolean> friends = exists(friend.bind(userId, otherId));
        CompletableFuture<Optional<Relation.Pending>> out = pending(outgoing.bind(userId, otherId));
        CompletableFuture<Optional<Relation.Pending>> in = pending(incoming.bind(userId, otherId));
        CompletableFuture<Optional<Relation.Pending>> arrived = pending(incoming.bind(otherId, userId));
        CompletableFuture<Boolean> blocking = exists(blocked.bind(userId, otherId));
        CompletableFuture<Boolean> blockedBy = exists(blocked.bind(otherId, userId));
        return new Relation(friends.join(), out.join(), arrived.join().isPresent(), in.join(), blocking.join(), blockedBy.join());
    }

    @Override
    public int friendCount(String userId) {
        return (int) session.execute(count.bind(userId)).one().getLong(0);
    }

    @Override
    public void request(String from, String to, String message, String eventId, boolean visible) {
        Instant now = Instant.now();
        BatchStatement batch = BatchStatement.newInstance(DefaultBatchType.LOGGED,
                insertOut.bind(from, to, eventId, message, now, requestTtlSeconds));
        if (visible) {
            batch = batch.add(insertIn.bind(to, from, eventId, message, now, requestTtlSeconds));
        }
        session.execute(batch);
    }

    @Override
    public void befriend(String a, String b) {
        Instant now = Instant.now();
        session.execute(BatchStatement.newInstance(DefaultBatchType.LOGGED,
                insertFriend.bind(a, b, now), insertFriend.bind(b, a, now),
                deleteOut.bind(a, b), deleteIn.bind(b, a), deleteOut.bind(b, a), deleteIn.bind(a, b)));
    }

    @Override
    public void dropRequest(String from, String to) {
        session.execute(BatchStatement.newInstance(DefaultBatchType.LOGGED, deleteOut.bind(from, to), deleteIn.bind(to, from)));
    }

    @Override
    public void unfriend(String a, String b) {
        session.execute(BatchStatement.newInstance(DefaultBatchType.LOGGED, deleteFriend.bind(a, b), deleteFriend.bind(b, a)));
    }

    @Override
    public void block(String userId, String otherId) {
        Instant now = Instant.now();
        session.execute(BatchStatement.newInstance(DefaultBatchType.LOGGED,
                insertBlock.bind(userId, otherId, now), insertBlocker.bind(otherId, userId, now),
                deleteFriend.bind(userId, otherId), deleteFriend.bind(otherId, userId),
                deleteOut.bind(userId, otherId), deleteIn.bind(otherId, userId), deleteIn.bind(userId, otherId)));
    }

    @Override
    public void unblock(String userId, String otherId) {
        session.execute(BatchStatement.newInstance(DefaultBatchType.LOGGED,
                deleteBlock.bind(userId, otherId), deleteBlocker.bind(otherId, userId)));
    }

    private CompletableFuture<Boolean> exists(Statement<?> statement) {
        return future(session.executeAsync(statement)).thenApply(rs -> rs.one() != null);
    }

    private CompletableFuture<Optional<Relation.Pending>> pending(Statement<?> statement) {
        return future(session.executeAsync(statement)).thenApply(rs -> {
            Row row = rs.one();
            return row == null ? Optional.empty()
                    : Optional.of(new Relation.Pending(row.getString("event_id"), row.getString("message"),
                    row.getInstant("created_at")));
        });
    }

    private static CompletableFuture<AsyncResultSet> future(CompletionStage<AsyncResultSet> stage) {
        return stage.toCompletableFuture();
    }
}
