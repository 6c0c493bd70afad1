package im.parley.social;

import com.datastax.oss.driver.api.core.CqlSession;
import im.parley.cassandra.MigratedKeyspace;
import im.parley.stack.CassandraServer;
import im.parley.stack.junit.LocalStack;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The social graph's contract against a real Cassandra, with rows as the friend-request function writes them. */
@LocalStack
class CassandraSocialGraphIT extends SocialGraphContract {

    static CqlSession session;
    static CassandraSocialGraph graph;

    @BeforeAll
    static void start(CassandraServer cassandra) {
        session = MigratedKeyspace.open(cassandra, "social_it");
        graph = new CassandraSocialGraph(session);
    }

    @AfterAll
    static void stop() {
        if (session != null) {
            session.close();
        }
    }

    @Override
    protected SocialGraph graph() {
        return graph;
    }

    @Override
    protected void befriend(String a, String b) {
        session.execute("INSERT INTO friends (user_id, friend_id, since) VALUES (?, ?, ?)", a, b, Instant.now());
        session.execute("INSERT INTO friends (user_id, friend_id, since) VALUES (?, ?, ?)", b, a, Instant.now());
    }

    @Override
    protected void request(String from, String to, String message) {
        Instant now = Instant.now();
        session.execute("INSERT INTO friend_requests_in (to_user, from_user, created_at, message) VALUES (?, ?, ?, ?)",
                to, from, now, message);
        session.execute("INSERT INTO friend_requests_out (from_user, to_user, created_at, message) VALUES (?, ?, ?, ?)",
                from, to, now, message);
    }

    @Override
    protected void block(String blocker, String blocked) {
        session.execute("INSERT INTO blocks (user_id, blocked_id, since) VALUES (?, ?, ?)", blocker, blocked, Instant.now());
        session.execute("INSERT INTO blockers (user_id, blocker_id, since) VALUES (?, ?, ?)", blocked, blocker, Instant.now());
    }
}
