package im.parley.sequence;

import im.parley.eventing.message.ConversationIds;
import im.parley.eventing.message.MessageRejected.Reason;
import im.parley.membership.Groups;
import im.parley.social.SocialGraph;
import java.util.List;
import java.util.Optional;

/**
 * Posting rights from the friend-request function's social graph and the group function's groups, read through
 * their interfaces. A group admits its members. A 1:1 chat admits its two users when they are friends, or, when
 * friendship is not required, when neither has blocked the other. A block always ends the friendship (one logged
 * batch), so friends need one read; the blocked side is only ever told {@code not-friends} while friendship is
 * required, and {@code blocked} (never by whom) otherwise.
 */
public final class GraphPostingRights implements PostingRights {

    private final SocialGraph graph;
    private final Groups groups;
    private final boolean friendsOnly;

    /** @param friendsOnly whether a 1:1 message needs the two users to be friends */
    public GraphPostingRights(SocialGraph graph, Groups groups, boolean friendsOnly) {
        this.graph = graph;
        this.groups = groups;
        this.friendsOnly = friendsOnly;
    }

    @Override
    public Optional<Reason> check(String conversationId, String userId) {
        List<String> pair = ConversationIds.directUsers(conversationId);
        if (!pair.isEmpty()) {
            if (!pair.contains(userId)) {
                return Optional.of(Reason.NOT_MEMBER);
            }
            String peer = userId.equals(pair.get(0)) ? pair.get(1) : pair.get(0);
            if (friendsOnly) {
                if (graph.areFriends(userId, peer)) {
                    return Optional.empty();
                }
                return Optional.of(graph.hasBlocked(userId, peer) ? Reason.BLOCKED : Reason.NOT_FRIENDS);
            }
            return graph.blockedEitherWay(userId, peer) ? Optional.of(Reason.BLOCKED) : Optional.empty();
        }
        if (conversationId.startsWith("g:")) {
            String groupId = conversationId.substring(2);
            if (groups.isMember(groupId, userId)) {
                return Optional.empty();
            }
            return groups.exists(groupId) ? Optional.of(Reason.NOT_MEMBER) : Optional.of(Reason.CONVERSATION_UNKNOWN);
        }
        return Optional.of(Reason.CONVERSATION_UNKNOWN);
    }
}
