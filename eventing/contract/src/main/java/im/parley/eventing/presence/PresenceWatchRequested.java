package im.parley.eventing.presence;

import java.util.List;

public record PresenceWatchRequested(List<String> add, List<String> remove) {
}
