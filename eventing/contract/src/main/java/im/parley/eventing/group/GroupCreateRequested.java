package im.parley.eventing.group;

import java.util.List;

public record GroupCreateRequested(String groupId, String name, List<String> members) {
}
