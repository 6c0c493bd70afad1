package im.parley.social;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** What every {@link SocialGraph} answers: the in-memory one for unit tests and the Cassandra one alike. */
public abstract class SocialGraphContract {

    protected abstract SocialGraph graph();

    /** Records a friendship both ways, as the friend-request function does on accept. */
    protected abstract void befriend(String a, String b) throws Exception;

    /** Records that {@code blocker} blocked {@code blocked}. */
    protected abstract void block(String blocker, String blocked) throws Exception;

    /** Records a pending request, as the friend-request function does. */
    protected abstract void request(String from, String to, String message) throws Exception;

    @Test
    void theFriendListHasFriendsRequestsBothWaysAndBlocksInThatOrder() throws Exception {
        String kim = user("kim");
        String lee = user("lee");
        String max = user("max");
        String ned = user("ned");
        String oz = user("oz");
        befriend(kim, lee);
        request(max, kim, "hi kim");
        request(kim, ned, "hello ned");
        block(kim, oz);
        block(oz, kim);
        assertThat(graph().relations(kim)).extracting(f -> f.userId() + ":" + f.relation() + ":" + f.message())
                .containsExactly(lee + ":FRIEND:null", max + ":INCOMING:hi kim", ned + ":OUTGOING:hello ned",
                        oz + ":BLOCKED:null");
        assertThat(graph().relations(kim)).allSatisfy(f -> assertThat(f.since()).isNotNull());
        assertThat(graph().relations(user("nobody"))).isEmpty();
    }

    static String user(String name) {
        return name + UUID.randomUUID().toString().substring(0, 6);
    }

    @Test
    void friendsAndBlocksAreReadBothWaysWhereTheyMustBe() throws Exception {
        String ann = user("ann");
        String ben = user("ben");
        String cat = user("cat");
        String dan = user("dan");
        befriend(ann, ben);
        block(cat, ann);
        block(ann, dan);
        assertThat(graph().friendsOf(ann)).containsExactly(ben);
        assertThat(graph().friendsOf(ben)).containsExactly(ann);
        assertThat(graph().blockedBy(ann)).containsExactly(dan);
        assertThat(graph().blockedEitherWay(ann, cat)).isTrue();
        assertThat(graph().blockedEitherWay(dan, ann)).isTrue();
        assertThat(graph().blockedEitherWay(ann, ben)).isFalse();
        assertThat(graph().areFriends(ann, ben)).isTrue();
        assertThat(graph().areFriends(ben, ann)).isTrue();
        assertThat(graph().areFriends(ann, cat)).isFalse();
        assertThat(graph().hasBlocked(cat, ann)).isTrue();
        assertThat(graph().hasBlocked(ann, cat)).as("one way only").isFalse();
        assertThat(graph().blockersAmong(ann, List.of(ben, cat, dan, cat))).as("who blocked ann, once each")
                .containsExactly(cat);
        assertThat(graph().blockersAmong(ann, List.of())).isEmpty();
        assertThat(graph().blockersOf(ann)).containsExactly(cat);
        assertThat(graph().blockersOf(dan)).containsExactly(ann);
        assertThat(graph().blockersOf(ben)).isEmpty();
        assertThat(graph().friendsAnd(ann, List.of(cat, dan, user("eve")))).as("friends and others, less blocks")
                .hasSize(2).contains(ben);
    }
}
