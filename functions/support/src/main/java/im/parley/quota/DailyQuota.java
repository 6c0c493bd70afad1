package im.parley.quota;

/**
 * How many times a day (UTC) each user may do one thing: create a group, send a friend request. Each time is
 * counted by the id of the event that asked, so a redelivered event is not counted twice.
 */
public interface DailyQuota {

    /**
     * Counts the event toward its user's day, unless the user has used the whole quota already (then it is not
     * counted, and the answer is false). An event counted before is allowed again.
     */
    boolean take(String userId, String eventId);

    int limit();
}
