package im.parley.friend;

import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.driver.api.core.CqlSession;
import im.parley.cassandra.MigratedKeyspace;
import im.parley.social.CassandraSocialGraph;
import im.parley.social.SocialGraph;
import im.parley.stack.CassandraServer;
import im.parley.stack.junit.LocalStack;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

@LocalStack
class CassandraFriendshipsIT {

    private static CqlSession session(CassandraServer cassandra) {
        return MigratedKeyspace.open(cassandra, "friend_store");
    }

    @Test
    void requestAcceptRemoveAndBlockMoveBothSidesTogether(CassandraServer cassandra) {
        try (CqlSession session = session(cassandra)) {
            Friendships graph = new CassandraFriendships(session, Duration.ofDays(30));
            graph.request("ann", "bob", "hello", "e1", true);
            assertThat(graph.relation("ann", "bob").outgoingArrived()).isTrue();
            assertThat(graph.relation("ann", "bob").outgoing()).get().satisfies(p -> {
                assertThat(p.eventId()).isEqualTo("e1");
                assertThat(p.message()).isEqualTo("hello");
            });
            assertThat(graph.relation("bob", "ann").incoming()).isPresent();

            graph.befriend("bob", "ann");
            assertThat(graph.relation("ann", "bob")).isEqualTo(new Relation(true, Optional.empty(), false,
                    Optional.empty(), false, false));
            assertThat(graph.friendCount("ann")).isEqualTo(1);
            assertThat(graph.friendCount("bob")).isEqualTo(1);

            graph.request("cat", "bob", null, "e2", true);
            graph.block("bob", "cat");
            graph.block("bob", "ann");
            Relation bobAnn = graph.relation("bob", "ann");
            assertThat(bobAnn.friends()).isFalse();
            assertThat(bobAnn.blocking()).isTrue();
            assertThat(graph.relation("ann", "bob").blockedBy()).isTrue();
            assertThat(graph.friendCount("ann")).isZero();
            assertThat(graph.relation("bob", "cat").incoming()).as("gone from the blocker's side").isEmpty();
            assertThat(graph.relation("cat", "bob").outgoing()).as("still pending on the blocked side").isPresent();

            SocialGraph readers = new CassandraSocialGraph(session);
            assertThat(readers.blockersOf("ann")).as("the block, as the functions read it").containsExactly("bob");
            assertThat(readers.blockersOf("cat")).containsExactly("bob");

            graph.unblock("bob", "ann");
            assertThat(graph.relation("ann", "bob").blockedBy()).isFalse();
            assertThat(readers.blockersOf("ann")).isEmpty();
        }
    }

    @Test
    void aHiddenRequestStaysOnTheSendersSideAndUnansweredRequestsExpire(CassandraServer cassandra) throws InterruptedException {
        try (CqlSession session = session(cassandra)) {
            Friendships graph = new CassandraFriendships(session, Duration.ofDays(1));
            graph.request("dan", "eve", null, "e3", false);
            assertThat(graph.relation("eve", "dan").incoming()).isEmpty();
            assertThat(graph.relation("dan", "eve").outgoing()).isPresent();
            assertThat(graph.relation("dan", "eve").outgoingArrived()).isFalse();

            Friendships shortLived = new CassandraFriendships(session, Duration.ofSeconds(2));
            shortLived.request("fay", "gus", "quick", "e4", true);
            assertThat(shortLived.relation("gus", "fay").incoming()).isPresent();
            long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
            while (shortLived.relation("gus", "fay").incoming().isPresent() && System.nanoTime() < deadline) {
                Thread.sleep(250);
            }
            assertThat(shortLived.relation("gus", "fay").incoming()).as("expired").isEmpty();
            assertThat(shortLived.relation("fay", "gus").outgoing()).as("expired").isEmpty();
        }
    }
}
