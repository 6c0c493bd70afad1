package im.parley.social;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import im.parley.eventing.friend.FriendEntry;
import im.parley.eventing.friend.FriendEntry.Relation;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Friends, requests and blocks as the friend-request function writes them: {@code friends}, {@code blocks},
 * {@code blockers} and {@code friend_requests_in} and {@code _out}.
 */
public final class CassandraSocialGraph implements SocialGraph {

    private final CqlSession session;
    private final PreparedStatement friends;
    private final PreparedStatement friend;
    private final PreparedStatement blocks;
    private final PreparedStatement block;
    private final PreparedStatement blockers;
    private final PreparedStatement incoming;
    private final PreparedStatement outgoing;

    public CassandraSocialGraph(CqlSession session) {
        this.session = session;
        this.friends = session.prepare("SELECT friend_id, since FROM friends WHERE user_id = ?");
        this.friend = session.prepare("SELECT friend_id FROM friends WHERE user_id = ? AND friend_id = ?");
        this.blocks = session.prepare("SELECT blocked_id, since FROM blocks WHERE user_id = ?");
        this.block = session.prepare("SELECT blocked_id FROM blocks WHERE user_id = ? AND blocked_id = ?");
        this.blockers = session.prepare("SELECT blocker_id FROM blockers WHERE user_id = ?");
        this.incoming = session.prepare("SELECT from_user, created_at, message FROM friend_requests_in WHERE to_user = ?");
        this.outgoing = session.prepare("SELECT to_user, created_at, message FROM friend_requests_out WHERE from_user = ?");
    }

    @Override
    public Set<String> friendsOf(String userId) {
        Set<String> found = new LinkedHashSet<>();
        for (Row row : session.execute(friends.bind(userId))) {
            found.add(row.getString(0));
        }
        return found;
    }

    @Override
    public List<FriendEntry> relations(String userId) {
        List<FriendEntry> entries = new ArrayList<>();
        for (Row row : session.execute(friends.bind(userId))) {
            entries.add(new FriendEntry(row.getString(0), Relation.FRIEND, row.getInstant(1), null));
        }
        for (Row row : session.execute(incoming.bind(userId))) {
            entries.add(new FriendEntry(row.getString(0), Relation.INCOMING, row.getInstant(1), row.getString(2)));
        }
        for (Row row : session.execute(outgoing.bind(userId))) {
            entries.add(new FriendEntry(row.getString(0), Relation.OUTGOING, row.getInstant(1), row.getString(2)));
        }
        for (Row row : session.execute(blocks.bind(userId))) {
            entries.add(new FriendEntry(row.getString(0), Relation.BLOCKED, row.getInstant(1), null));
        }
        return entries;
    }

    @Override
    public Set<String> blockedBy(String userId) {
        Set<String> found = new LinkedHashSet<>();
        for (Row row : session.execute(blocks.bind(userId))) {
            found.add(row.getString(0));
        }
        return found;
    }

    @Override
    public Set<String> blockersOf(String userId) {
        Set<String> found = new LinkedHashSet<>();
        for (Row row : session.execute(blockers.bind(userId))) {
            found.add(row.getString(0));
        }
        return found;
    }

    @Override
    public boolean areFriends(String a, String b) {
        return session.execute(friend.bind(a, b)).one() != null;
    }

    @Override
    public boolean hasBlocked(String blocker, String blocked) {
        return session.execute(block.bind(blocker, blocked)).one() != null;
    }

    @Override
    public Set<String> blockersAmong(String userId, Collection<String> others) {
        List<String> distinct = others.stream().distinct().toList();
        List<CompletableFuture<Boolean>> reads = distinct.stream()
                .map(other -> session.executeAsync(block.bind(other, userId)).toCompletableFuture()
                        .thenApply(rs -> rs.one() != null))
                .toList();
        Set<String> found = new LinkedHashSet<>();
        for (int i = 0; i < distinct.size(); i++) {
            if (reads.get(i).join()) {
                found.add(distinct.get(i));
            }
        }
        return found;
    }
}
