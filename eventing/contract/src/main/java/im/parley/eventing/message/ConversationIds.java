package im.parley.eventing.message;

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
}
