package im.parley.sequence;

import static org.assertj.core.api.Assertions.assertThat;

import im.parley.eventing.message.MessageRejected.Reason;
import im.parley.membership.InMemoryGroups;
import im.parley.social.InMemorySocialGraph;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The rules over the social graph and the groups; their Cassandra adapters pass the same contracts as these fakes. */
class GraphPostingRightsTest {

    final InMemorySocialGraph graph = new InMemorySocialGraph();
    final InMemoryGroups groups = new InMemoryGroups();

    @Test
    void postingRightsFollowMembershipAndBlocks() {
        GraphPostingRights rights = new GraphPostingRights(graph, groups, false);
        assertThat(rights.check("d:ann:ben", "ann")).isEmpty();
        assertThat(rights.check("d:ann:ben", "ben")).isEmpty();
        assertThat(rights.check("d:ann:ben", "eve")).contains(Reason.NOT_MEMBER);

        graph.block("cat", "dan");
        assertThat(rights.check("d:cat:dan", "dan")).contains(Reason.BLOCKED);
        assertThat(rights.check("d:cat:dan", "cat")).as("the blocker cannot write either").contains(Reason.BLOCKED);

        groups.create("crew", List.of("ann"));
        assertThat(rights.check("g:crew", "ann")).isEmpty();
        assertThat(rights.check("g:crew", "ben")).contains(Reason.NOT_MEMBER);
        assertThat(rights.check("g:nowhere", "ann")).contains(Reason.CONVERSATION_UNKNOWN);
        assertThat(rights.check("x:what", "ann")).contains(Reason.CONVERSATION_UNKNOWN);
    }

    @Test
    void whenFriendshipIsRequiredOnlyFriendsWriteAndTheBlockedSideIsNotToldOfTheBlock() {
        GraphPostingRights rights = new GraphPostingRights(graph, groups, true);
        assertThat(rights.check("d:fay:gil", "fay")).contains(Reason.NOT_FRIENDS);
        graph.befriend("fay", "gil");
        assertThat(rights.check("d:fay:gil", "fay")).isEmpty();
        assertThat(rights.check("d:fay:gil", "gil")).isEmpty();
        assertThat(rights.check("d:fay:gil", "hal")).contains(Reason.NOT_MEMBER);

        graph.block("ivy", "jon");
        assertThat(rights.check("d:ivy:jon", "ivy")).as("the blocker knows").contains(Reason.BLOCKED);
        assertThat(rights.check("d:ivy:jon", "jon")).as("the blocked side just is not a friend").contains(Reason.NOT_FRIENDS);
    }
}
