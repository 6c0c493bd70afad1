package im.parley.eventing.group;

import java.util.List;

/** A join or a leave: without members it concerns the actor; with members it invites or removes them. */
public record GroupMembersRequested(String groupId, List<String> members) {
}
