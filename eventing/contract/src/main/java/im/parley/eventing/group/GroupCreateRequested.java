package im.parley.eventing.group;

import java.util.List;

/** joinable: anyone may join by themselves and every member may invite; otherwise only the owner and admins invite. */
public record GroupCreateRequested(String groupId, String name, List<String> members, Boolean joinable) {
}
