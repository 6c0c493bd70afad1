package im.parley.rights;

/**
 * Who may post in a conversation is cached in Redis beside the conversation's seq counter, so that sequencing a
 * message checks it in the same round trip. Whoever changes the facts behind it (a friendship or a block, a
 * group's members) forgets the conversation's cache after writing them; an entry also lapses after
 * {@link #TTL_SECONDS}.
 */
public interface PostingRightsCache {

    long TTL_SECONDS = 600;

    /** What is cached for a user allowed to post; anything else is the refusal's code. */
    String ALLOWED = "ok";

    /** Forgets what is cached for the conversation. */
    void forget(String conversationId);

    /** Both keys share the conversation's hash tag, as its seq counter does: one Redis Cluster slot, one script. */
    static String rightsKey(String conversationId) {
        return "parley:rights:{" + conversationId + "}";
    }

    /** Bumped on every {@link #forget}, so a fill read before it is not written after it. */
    static String generationKey(String conversationId) {
        return "parley:rights-gen:{" + conversationId + "}";
    }
}
