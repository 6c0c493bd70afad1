package im.parley.group;

import im.parley.eventing.Actor;
import im.parley.eventing.EventJson;
import im.parley.eventing.EventTypes;
import im.parley.eventing.Events;
import im.parley.eventing.delivery.DeliveryBatch;
import im.parley.eventing.delivery.Frames;
import im.parley.eventing.group.GroupCreateRequested;
import im.parley.eventing.group.GroupMemberChanged;
import im.parley.eventing.group.GroupMembersRequested;
import im.parley.eventing.group.GroupRoleRequested;
import im.parley.eventing.message.ConversationIds;
import im.parley.quota.DailyQuota;
import im.parley.rights.PostingRightsCache;
import im.parley.social.SocialGraph;
import io.cloudevents.CloudEvent;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * {@code im.parley.group.*.requested} in, {@code im.parley.group.member.changed} out (fanout tells the members).
 * A refused request gets an {@code error} frame on the requesting device. The Triggers are ordered and keyed by
 * the group, so one group's requests are handled one at a time, in order.
 * <p>
 * Whom an actor may add follows the social graph: never a user who blocked them, and, with {@code friendsOnly},
 * only their friends. Each user creates at most {@code creates.limit()} groups a day.
 * <p>
 * A change is recorded under its event id before it is applied; a redelivered event (after a crash, a timeout or a
 * runtime restart) finishes the change if needed and replies the same change again, so nothing is done twice and
 * no notification is lost.
 */
public final class GroupFunction implements Function<CloudEvent, CloudEvent> {

    private final GroupStore store;
    private final Membership rules;
    private final Consumer<DeliveryBatch> deliveries;
    private final PostingRightsCache rights;
    private final SocialGraph graph;
    private final boolean friendsOnly;
    private final DailyQuota creates;

    /**
     * @param rights      forgotten for the group's chat once a change is applied, so messages follow the new members
     * @param friendsOnly whether members may add only their friends
     * @param creates     the groups each user may create a day
     */
    public GroupFunction(GroupStore store, Membership rules, Consumer<DeliveryBatch> deliveries, PostingRightsCache rights,
                         SocialGraph graph, boolean friendsOnly, DailyQuota creates) {
        this.store = store;
        this.rules = rules;
        this.deliveries = deliveries;
        this.rights = rights;
        this.graph = graph;
        this.friendsOnly = friendsOnly;
        this.creates = creates;
    }

    @Override
    public CloudEvent apply(CloudEvent event) {
        Actor actor = Actor.require(event);
        Request request = request(event, actor.userId());
        String groupId = request.groupId();
        Optional<GroupMemberChanged> done = store.change(groupId, event.getId());
        Optional<GroupState> stored = store.load(groupId);
        if (stored.isPresent() && !stored.get().lastApplied()) {
            store.apply(stored.get().lastChange());
            stored = store.load(groupId);
        }
        // A change whose header was never written (the process stopped between the two) is decided again from
        // the same stored state, which gives the same change, and finished as the first attempt would have.
        if (done.isPresent() && stored.isPresent() && stored.get().version() >= done.get().version()) {
            rights.forget(ConversationIds.group(groupId));
            return reply(done.get(), event);
        }
        GroupState group = stored.orElse(null);
        GroupState next;
        try {
            next = request.decide().apply(group);
            if (next != null && next.version() == 1 && !creates.take(actor.userId(), event.getId())) {
                throw new GroupRefusal(GroupRefusal.Code.LIMIT_EXCEEDED,
                        "at most " + creates.limit() + " new groups a day; try again tomorrow (UTC)");
            }
        } catch (GroupRefusal refusal) {
            refuse(actor, groupId, refusal);
            return null;
        }
        if (next == null) {
            return null;
        }
        store.record(next);
        store.apply(next.lastChange());
        rights.forget(ConversationIds.group(groupId));
        return reply(next.lastChange(), event);
    }

    /** A decoded request: its group, and the rule that gives the group's next state. */
    private record Request(String groupId, UnaryOperator<GroupState> decide) {
    }

    private Request request(CloudEvent event, String actor) {
        String type = event.getType();
        String id = event.getId();
        if (type.equals(EventTypes.GROUP_CREATE_REQUESTED.type())) {
            GroupCreateRequested create = Events.data(EventTypes.GROUP_CREATE_REQUESTED, event);
            return new Request(create.groupId(), g -> rules.create(g, actor, create, id, unwelcome(actor, create.members())));
        }
        if (type.equals(EventTypes.GROUP_JOIN_REQUESTED.type())) {
            GroupMembersRequested join = Events.data(EventTypes.GROUP_JOIN_REQUESTED, event);
            return new Request(join.groupId(), g -> rules.join(g, actor, join, id, unwelcome(actor, join.members())));
        }
        if (type.equals(EventTypes.GROUP_LEAVE_REQUESTED.type())) {
            GroupMembersRequested leave = Events.data(EventTypes.GROUP_LEAVE_REQUESTED, event);
            return new Request(leave.groupId(), g -> rules.leave(g, actor, leave, id));
        }
        if (type.equals(EventTypes.GROUP_ROLE_REQUESTED.type())) {
            GroupRoleRequested role = Events.data(EventTypes.GROUP_ROLE_REQUESTED, event);
            return new Request(role.groupId(), g -> rules.role(g, actor, role, id));
        }
        throw new IllegalArgumentException("group does not handle " + type);
    }

    /** Of the users the actor names, those the actor may not add. */
    private Set<String> unwelcome(String actor, List<String> named) {
        if (named == null || named.isEmpty()) {
            return Set.of();
        }
        List<String> others = named.stream().filter(u -> !u.equals(actor)).distinct().toList();
        Set<String> refused = new LinkedHashSet<>(graph.blockersAmong(actor, others));
        if (friendsOnly) {
            Set<String> friends = graph.friendsOf(actor);
            others.stream().filter(u -> !friends.contains(u)).forEach(refused::add);
        }
        return refused;
    }

    private static CloudEvent reply(GroupMemberChanged change, CloudEvent cause) {
        return Events.reply(EventTypes.GROUP_MEMBER_CHANGED, change, cause, Events.functionSource("group"));
    }

    private void refuse(Actor actor, String groupId, GroupRefusal refusal) {
        deliveries.accept(DeliveryBatch.toActor(actor, Frames.of("error", EventJson.MAPPER.createObjectNode()
                .put("code", refusal.code().name()).put("reason", refusal.getMessage()).put("groupId", groupId))));
    }
}
