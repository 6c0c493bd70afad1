package im.parley.sync;

import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.driver.api.core.CqlSession;
import im.parley.cassandra.CassandraSessions;
import im.parley.cassandra.CassandraSettings;
import im.parley.cassandra.CqlMigrations;
import im.parley.eventing.message.Message;
import im.parley.stack.CassandraServer;
import im.parley.stack.junit.LocalStack;
import java.util.stream.LongStream;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** History over the tables as persist writes them, across seq buckets. */
@LocalStack
class CassandraHistoryIT {

    static CqlSession session;
    static CassandraHistory history;

    @BeforeAll
    static void start(CassandraServer cassandra) {
        CassandraSettings settings = new CassandraSettings(cassandra.host(), cassandra.port(), cassandra.localDatacenter(),
                "sync_history", CassandraSettings.LOCAL_REPLICATION);
        try (CqlSession admin = CassandraSessions.connect(settings)) {
            CqlMigrations.apply(admin, settings);
        }
        session = CassandraSessions.connectToKeyspace(settings);
        history = new CassandraHistory(session);
        var insert = session.prepare("INSERT INTO messages (conversation_id, bucket, server_seq, client_msg_id, sender_user,"
                + " sender_device, content_type, content, sent_at) VALUES ('d:ann:ben', ?, ?, ?, 'ann', 'phone', 'text', ?,"
                + " toTimestamp(now()))");
        LongStream.rangeClosed(990, 1010).forEach(seq -> session.execute(insert.bind(seq / 1000, seq, "c" + seq, "m" + seq)));
        session.execute("UPDATE conversation_state SET persisted_seq = 1010 WHERE conversation_id = 'd:ann:ben'");
        session.execute("INSERT INTO user_conversations (user_id, conversation_id) VALUES ('ann', 'd:ann:ben')");
        session.execute("INSERT INTO read_state (conversation_id, user_id, read_seq, delivered_seq) VALUES ('d:ann:ben', 'ann', 1000, 1005)");
        session.execute("INSERT INTO group_members (group_id, user_id, role) VALUES ('crew', 'ann', 'member')");
    }

    @AfterAll
    static void stop() {
        if (session != null) {
            session.close();
        }
    }

    @Test
    void pagesCrossBucketBoundariesInSeqOrder() {
        assertThat(history.after("d:ann:ben", 995, 10)).extracting(Message::serverSeq)
                .containsExactly(996L, 997L, 998L, 999L, 1000L, 1001L, 1002L, 1003L, 1004L, 1005L);
        assertThat(history.after("d:ann:ben", 1008, 10)).extracting(Message::serverSeq).containsExactly(1009L, 1010L);
        assertThat(history.after("d:ann:ben", 1010, 10)).isEmpty();
        Message m = history.message("d:ann:ben", 1000).orElseThrow();
        assertThat(m.clientMsgId()).isEqualTo("c1000");
        assertThat(m.content()).isEqualTo("m1000");
        assertThat(m.sender().userId()).isEqualTo("ann");
    }

    @Test
    void pagesOfSeveralConversationsAreReadAtOnceAcrossBucketsAndCappedAtTheirLimits() {
        assertThat(history.lastSeqs(List.of("d:ann:ben", "d:ann:nobody"))).containsExactly(1010L, 0L);
        List<List<Message>> pages = history.pages(List.of(new History.Range("d:ann:ben", 995, 1010, 10),
                new History.Range("d:ann:ben", 0, 1010, 3), new History.Range("d:ann:ben", 1008, 1010, 2),
                new History.Range("d:ann:nobody", 0, 0, 5)));
        assertThat(pages.get(0)).extracting(Message::serverSeq)
                .containsExactly(996L, 997L, 998L, 999L, 1000L, 1001L, 1002L, 1003L, 1004L, 1005L);
        assertThat(pages.get(1)).as("seqs 1 to 989 are not there").extracting(Message::serverSeq).containsExactly(990L, 991L, 992L);
        assertThat(pages.get(2)).extracting(Message::serverSeq).containsExactly(1009L, 1010L);
        assertThat(pages.get(3)).isEmpty();
    }

    @Test
    void listsMarksAndMembership() {
        assertThat(history.lastSeq("d:ann:ben")).isEqualTo(1010);
        assertThat(history.lastSeq("d:nobody:else")).isZero();
        assertThat(history.conversationsOf("ann")).containsExactly("d:ann:ben");
        assertThat(history.readAndDelivered("d:ann:ben", "ann")).containsExactly(1000, 1005);
        assertThat(history.readAndDelivered("d:ann:ben", "ben")).containsExactly(0, 0);
        assertThat(history.isMember("d:ann:ben", "ben")).isTrue();
        assertThat(history.isMember("d:ann:ben", "eve")).isFalse();
        assertThat(history.isMember("g:crew", "ann")).isTrue();
        assertThat(history.isMember("g:crew", "ben")).isFalse();
    }

    @Test
    void theFriendListHasFriendsRequestsBothWaysAndBlocks() {
        session.execute("INSERT INTO friends (user_id, friend_id, since) VALUES ('kim', 'lee', '2026-11-01T00:00:00Z')");
        session.execute("INSERT INTO friend_requests_in (to_user, from_user, message) VALUES ('kim', 'max', 'hi kim')");
        session.execute("INSERT INTO friend_requests_out (from_user, to_user, message) VALUES ('kim', 'ned', 'hello ned')");
        session.execute("INSERT INTO blocks (user_id, blocked_id) VALUES ('kim', 'oz')");
        session.execute("INSERT INTO blocks (user_id, blocked_id) VALUES ('oz', 'kim')");
        assertThat(history.friends("kim")).extracting(f -> f.userId() + ":" + f.relation() + ":" + f.message())
                .containsExactly("lee:FRIEND:null", "max:INCOMING:hi kim", "ned:OUTGOING:hello ned", "oz:BLOCKED:null");
        assertThat(history.friends("kim").get(0).since()).isEqualTo(java.time.Instant.parse("2026-11-01T00:00:00Z"));
        assertThat(history.friends("nobody")).isEmpty();
    }

    @Test
    void invitationsAreListedNewestFirst() {
        session.execute("INSERT INTO group_invitations (user_id, group_id, inviter, group_name, invited_at) "
                + "VALUES ('pia', 'old', 'quin', 'Old', '2026-11-01T00:00:00Z')");
        session.execute("INSERT INTO group_invitations (user_id, group_id, inviter, group_name, invited_at) "
                + "VALUES ('pia', 'new', 'rex', 'New', '2026-11-02T00:00:00Z')");
        assertThat(history.invitations("pia")).extracting(i -> i.groupId() + ":" + i.name() + ":" + i.actor())
                .containsExactly("new:New:rex", "old:Old:quin");
        assertThat(history.invitations("nobody")).isEmpty();
    }
}
