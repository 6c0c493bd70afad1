package im.parley.eventing.group;

import java.time.Instant;

/** An invitation to a group, held by the invitee until they join, decline, or it lapses (30 days). */
public record GroupInvitation(String groupId, String name, String actor, Instant since) {
}
