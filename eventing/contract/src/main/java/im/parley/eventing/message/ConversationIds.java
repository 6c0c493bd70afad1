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

    /** The two users of a 1:1 conversation id, or an empty list for any other id. */
    public static List<String> directUsers(String conversationId) {
        if (!conversationId.startsWith("d:")) {
            return List.of();
        }
        int split = conversationId.indexOf(':', 2);
        return split < 0 ? List.of() : List.of(conversationId.substring(2, split), conversationId.substring(split + 1));
    }
}
