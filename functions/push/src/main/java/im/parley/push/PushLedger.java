package im.parley.push;

import java.util.Collection;
import java.util.Map;

/** What push remembers between events: which notifications were handled, the collapse counts and the rate limit. */
public interface PushLedger {

    /** For a message to a user: a redelivery, the first of a spell (notify), or one to fold into the last notification. */
    record Claim(Kind kind, int count) {
        public enum Kind { DUPLICATE, NOTIFY, COLLAPSED }
    }

    /**
     * Claims the message for each user, once. Counts stay per offline spell ({@code spells}: user to e.g. when the
     * user went offline): a new spell starts from one. A message notifies when nothing was sent in this spell yet,
     * or when the last notification is older than {@code collapseWindowMillis}; notifying reserves the conversation
     * at once, so messages handled meanwhile collapse into it.
     */
    Map<String, Claim> claim(Collection<String> userIds, String conversationId, long serverSeq, Map<String, String> spells,
                             long nowMillis, long collapseWindowMillis);

    /** The reserved notification was not sent after all: the next message notifies, with the count so far. */
    void release(String userId, String conversationId);

    /** Takes one of the user's notifications for this minute; false when {@code perMinute} are used up. */
    boolean allow(String userId, int perMinute, long nowMillis);

    /** The current offline spell of each user: when presence last changed for them ("0" when never). */
    Map<String, String> spells(Collection<String> userIds);
}
