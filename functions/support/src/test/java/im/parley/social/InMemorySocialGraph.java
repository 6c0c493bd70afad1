package im.parley.social;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** The social graph in memory, for unit tests; {@link SocialGraphContract} holds it to what Cassandra answers. */
public final class InMemorySocialGraph implements SocialGraph {

    private final Map<String, Set<String>> friends = new ConcurrentHashMap<>();
    private final Map<String, Set<String>> blocks = new ConcurrentHashMap<>();

    public void befriend(String a, String b) {
        friends.computeIfAbsent(a, k -> new LinkedHashSet<>()).add(b);
        friends.computeIfAbsent(b, k -> new LinkedHashSet<>()).add(a);
    }

    public void block(String blocker, String blocked) {
        blocks.computeIfAbsent(blocker, k -> new LinkedHashSet<>()).add(blocked);
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
    public boolean blockedEitherWay(String a, String b) {
        return blockedBy(a).contains(b) || blockedBy(b).contains(a);
    }

    @Override
    public Set<String> blockersAmong(String userId, Collection<String> others) {
        Set<String> found = new LinkedHashSet<>();
        others.stream().filter(o -> blockedBy(o).contains(userId)).forEach(found::add);
        return found;
    }
}
