package im.parley.eventing.message;

import java.util.List;

/** Conversation ids: d:&lt;a&gt;:&lt;b&gt; (users sorted) for a 1:1 chat, g:&lt;groupId&gt; for a group. */
public final class ConversationIds {

    private ConversationIds() {
    }

    public static String direct(String userA, String userB) {
        return userA.compareTo(userB) <= 0 ? "d:" + userA + ":" + userB : "d:" + userB + ":" + userA;
    }

    public static String group(String groupId) {
        return "g:" + groupId;
    }

    /**
     * The two users of a 1:1 conversation id, or an empty list for any other id. An id naming its users out of order
     * ({@code d:bob:ann}) is not a 1:1 conversation: a pair has one, so it has no members.
     */
    public static List<String> directUsers(String conversationId) {
        if (!conversationId.startsWith("d:")) {
            return List.of();
        }
        int split = conversationId.indexOf(':', 2);
        if (split < 0) {
            return List.of();
        }
        String a = conversationId.substring(2, split);
        String b = conversationId.substring(split + 1);
        return a.compareTo(b) <= 0 ? List.of(a, b) : List.of();
    }

    /** Why a conversation id cannot be used, or null: a 1:1 id must name its users in order. */
    public static String problem(String conversationId) {
        if (conversationId.startsWith("d:") && directUsers(conversationId).isEmpty()) {
            int split = conversationId.indexOf(':', 2);
            return split < 0 ? conversationId + " does not name two users"
                    : conversationId + " names its users out of order: use "
                    + direct(conversationId.substring(2, split), conversationId.substring(split + 1));
        }
        return null;
    }
}
