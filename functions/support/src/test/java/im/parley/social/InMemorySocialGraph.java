package im.parley.social;

import im.parley.eventing.friend.FriendEntry;
import im.parley.eventing.friend.FriendEntry.Relation;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** The social graph in memory, for unit tests; {@link SocialGraphContract} holds it to what Cassandra answers. */
public final class InMemorySocialGraph implements SocialGraph {

    private final Map<String, Set<String>> friends = new ConcurrentHashMap<>();
    private final Map<String, Set<String>> blocks = new ConcurrentHashMap<>();
    private final Map<List<String>, String> requests = new LinkedHashMap<>();
    /** When the fake says a relation began. */
    public static final Instant SINCE = Instant.parse("2026-11-01T00:00:00Z");

    public void befriend(String a, String b) {
        friends.computeIfAbsent(a, k -> new LinkedHashSet<>()).add(b);
        friends.computeIfAbsent(b, k -> new LinkedHashSet<>()).add(a);
    }

    public void block(String blocker, String blocked) {
        blocks.computeIfAbsent(blocker, k -> new LinkedHashSet<>()).add(blocked);
    }

    /** A pending request from {@code from} to {@code to}. */
    public void request(String from, String to, String message) {
        requests.put(List.of(from, to), message == null ? "" : message);
    }

    @Override
    public List<FriendEntry> relations(String userId) {
        List<FriendEntry> entries = new ArrayList<>();
        friendsOf(userId).forEach(f -> entries.add(new FriendEntry(f, Relation.FRIEND, SINCE, null)));
        requests.forEach((pair, message) -> {
            if (pair.get(1).equals(userId)) {
                entries.add(new FriendEntry(pair.get(0), Relation.INCOMING, SINCE, message.isEmpty() ? null : message));
            }
        });
        requests.forEach((pair, message) -> {
            if (pair.get(0).equals(userId)) {
                entries.add(new FriendEntry(pair.get(1), Relation.OUTGOING, SINCE, message.isEmpty() ? null : message));
            }
        });
        blockedBy(userId).forEach(b -> entries.add(new FriendEntry(b, Relation.BLOCKED, SINCE, null)));
        return entries;
    }

    @Override
    public Set<String> friendsOf(String userId) {
        return Set.copyOf(friends.getOrDefault(userId, Set.of()));
    }

    @Override
    public Set<String> blockedBy(String userId) {
        return Set.copyOf(blocks.getOrDefault(userId, Set.of()));
    }

    @Override
    public Set<String> blockersOf(String userId) {
        Set<String> found = new LinkedHashSet<>();
        blocks.forEach((blocker, blocked) -> {
            if (blocked.contains(userId)) {
                found.add(blocker);
            }
        });
        return found;
    }

    @Override
    public boolean areFriends(String a, String b) {
        return friendsOf(a).contains(b);
    }

    @Override
    public boolean hasBlocked(String blocker, String blocked) {
        return blockedBy(blocker).contains(blocked);
    }

    @Override
    public Set<String> blockersAmong(String userId, Collection<String> others) {
        Set<String> found = new LinkedHashSet<>();
        others.stream().filter(o -> blockedBy(o).contains(userId)).forEach(found::add);
        return found;
    }
}
