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

    public static boolean isGroup(String conversationId) {
        return conversationId.startsWith("g:");
    }

    /** The group id of a g: conversation. */
    public static String groupId(String conversationId) {
        if (!isGroup(conversationId)) {
            throw new IllegalArgumentException("not a group conversation: " + conversationId);
        }
        return conversationId.substring(2);
    }

    /** The two members of a d: conversation. */
    public static String[] directMembers(String conversationId) {
        String[] parts = conversationId.split(":");
        if (parts.length != 3 || !parts[0].equals("d")) {
            throw new IllegalArgumentException("not a direct conversation: " + conversationId);
        }
        return new String[] {parts[1], parts[2]};
    }
}
