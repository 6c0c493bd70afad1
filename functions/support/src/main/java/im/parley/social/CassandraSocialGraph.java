package im.parley.social;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/** Friends and blocks from {@code friends}, {@code blocks} and {@code blockers}. */
public final class CassandraSocialGraph implements SocialGraph {

    private final CqlSession session;
    private final PreparedStatement friends;
    private final PreparedStatement blocks;
    private final PreparedStatement block;
    private final PreparedStatement blockers;

    public CassandraSocialGraph(CqlSession session) {
        this.session = session;
        this.friends = session.prepare("SELECT friend_id FROM friends WHERE user_id = ?");
        this.blocks = session.prepare("SELECT blocked_id FROM blocks WHERE user_id = ?");
        this.block = session.prepare("SELECT blocked_id FROM blocks WHERE user_id = ? AND blocked_id = ?");
        this.blockers = session.prepare("SELECT blocker_id FROM blockers WHERE user_id = ?");
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
    public boolean blockedEitherWay(String a, String b) {
        return session.execute(block.bind(a, b)).one() != null || session.execute(block.bind(b, a)).one() != null;
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
