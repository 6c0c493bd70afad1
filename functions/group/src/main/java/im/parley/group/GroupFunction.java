package im.parley.group;

import im.parley.delivery.Deliveries;
import im.parley.eventing.Actor;
import im.parley.eventing.EventTypes;
import im.parley.eventing.frame.ErrorFrame;
import im.parley.eventing.frame.InvitationFrame;
import im.parley.eventing.group.GroupMemberChanged;
import im.parley.eventing.message.ConversationIds;
import im.parley.functions.handlers.Context;
import im.parley.functions.handlers.Handlers;
import im.parley.functions.handlers.Reply;
import im.parley.quota.DailyQuota;
import im.parley.rights.PostingRightsCache;
import im.parley.social.SocialGraph;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.UnaryOperator;

/**
 * {@code im.parley.group.*.requested} in, {@code im.parley.group.member.changed} out (fanout tells the members).
 * A refused request gets an {@code error} frame on the requesting device. The Triggers are ordered and keyed by
 * the group, so one group's requests are handled one at a time, in order.
 * <p>
 * Whom an actor may add follows the social graph: never a user who blocked them, and, with {@code friendsOnly},
 * only their friends; the others named are invited instead (an {@code invitation} frame, and sync's
 * {@code invitations}), and join by taking it up or say no by leaving. Each user creates at most
 * {@code creates.limit()} groups a day.
 * <p>
 * A change is recorded under its event id before it is applied; a redelivered event (after a crash, a timeout or a
 * runtime restart) finishes the change if needed and replies the same change again, so nothing is done twice and
 * no notification is lost.
 */
public final class GroupFunction {

    private final GroupStore store;
    private final Membership rules;
    private final Deliveries deliveries;
    private final PostingRightsCache rights;
    private final SocialGraph graph;
    private final boolean friendsOnly;
    private final DailyQuota creates;

    /**
     * @param rights      forgotten for the group's chat once a change is applied, so messages follow the new members
     * @param presence    where invitees' devices are, to tell them
     * @param friendsOnly whether members add only their friends (and invite the others)
     * @param creates     the groups each user may create a day
     */
    public GroupFunction(GroupStore store, Membership rules, Deliveries deliveries, PostingRightsCache rights,
                         SocialGraph graph, boolean friendsOnly, DailyQuota creates) {
        this.store = store;
        this.rules = rules;
        this.deliveries = deliveries;
        this.rights = rights;
        this.graph = graph;
        this.friendsOnly = friendsOnly;
        this.creates = creates;
    }

    /** What hosting serves: one handler per request; each decodes its request, and {@link #change} does the rest. */
    public Handlers handlers() {
        return Handlers.of("group")
                .on(EventTypes.GROUP_CREATE_REQUESTED, (create, context) -> change(context, (actor, id) -> {
                    Welcome welcome = welcome(actor, create.members(), false);
                    return new Request(create.groupId(), create.name(), welcome, false,
                            g -> rules.create(g, actor, create, id, welcome));
                }))
                .on(EventTypes.GROUP_JOIN_REQUESTED, (join, context) -> change(context, (actor, id) -> {
                    boolean self = join.members() == null || join.members().isEmpty();
                    Welcome welcome = welcome(actor, join.members(), self && store.invited(join.groupId(), actor));
                    return new Request(join.groupId(), null, welcome, false, g -> rules.join(g, actor, join, id, welcome));
                }))
                .on(EventTypes.GROUP_LEAVE_REQUESTED, (leave, context) -> change(context, (actor, id) -> {
                    boolean self = leave.members() == null || leave.members().isEmpty();
                    return new Request(leave.groupId(), null, Welcome.ANYONE, self, g -> rules.leave(g, actor, leave, id));
                }))
                .on(EventTypes.GROUP_ROLE_REQUESTED, (role, context) -> change(context, (actor, id) ->
                        new Request(role.groupId(), null, Welcome.ANYONE, false, g -> rules.role(g, actor, role, id))))
                .build();
    }

    /** @param decode the request, from the actor's user id and the event's id */
    private Reply<?> change(Context context, BiFunction<String, String, Request> decode) {
        Actor actor = context.requireActor();
        String eventId = context.eventId();
        Request request = decode.apply(actor.userId(), eventId);
        String groupId = request.groupId();
        Optional<GroupMemberChanged> done = store.change(groupId, eventId);
        Optional<GroupState> stored = store.load(groupId);
        if (stored.isPresent() && !stored.get().lastApplied()) {
            store.apply(stored.get().lastChange());
            stored = store.load(groupId);
        }
        // A change whose header was never written (the process stopped between the two) is decided again from
        // the same stored state, which gives the same change, and finished as the first attempt would have.
        if (done.isPresent() && stored.isPresent() && stored.get().version() >= done.get().version()) {
            rights.forget(ConversationIds.group(groupId));
            return Reply.of(EventTypes.GROUP_MEMBER_CHANGED, done.get());
        }
        GroupState group = stored.orElse(null);
        GroupState next;
        try {
            next = request.decide().apply(group);
            if (next != null && next.version() == 1 && !creates.take(actor.userId(), eventId)) {
                throw new GroupRefusal(GroupRefusal.Code.LIMIT_EXCEEDED,
                        "at most " + creates.limit() + " new groups a day; try again tomorrow (UTC)");
            }
        } catch (GroupRefusal refusal) {
            refuse(actor, groupId, refusal);
            return Reply.none();
        }
        List<String> invitees = request.welcome().invitedOnly().stream()
                .filter(user -> group == null || !group.members().containsKey(user)).toList();
        String name = group != null ? group.name() : request.name();
        if (!invitees.isEmpty()) {
            store.invite(groupId, name, actor.userId(), invitees);
        }
        if (request.leavesSelf() && group != null && !group.members().containsKey(actor.userId())) {
            store.decline(groupId, actor.userId());
            deliveries.toUsers(List.of(actor.userId()), null, new InvitationFrame(InvitationFrame.Change.DECLINED, groupId,
                    group.name(), actor.userId()));
        }
        if (next != null) {
            store.record(next);
            store.apply(next.lastChange());
            rights.forget(ConversationIds.group(groupId));
        }
        // Told only once the group is stored, so that an invitee who joins at once finds it. A retry after a stop
        // between the two does not tell again: the invitation is stored, and sync's invitations lists it.
        if (!invitees.isEmpty()) {
            tellInvited(groupId, name, actor.userId(), invitees);
        }
        return next == null ? Reply.none() : Reply.of(EventTypes.GROUP_MEMBER_CHANGED, next.lastChange());
    }

    /**
     * A decoded request: its group, the name a new group gets, whom the actor may bring in, whether the actor
     * leaves (or declines), and the rule that gives the group's next state.
     */
    private record Request(String groupId, String name, Welcome welcome, boolean leavesSelf,
                           UnaryOperator<GroupState> decide) {
    }

    /** Of the users the actor names, those who blocked the actor, and, with friendsOnly, the others not friends. */
    private Welcome welcome(String actor, List<String> named, boolean actorInvited) {
        if (named == null || named.isEmpty()) {
            return new Welcome(Set.of(), Set.of(), actorInvited);
        }
        List<String> others = named.stream().filter(u -> !u.equals(actor)).distinct().toList();
        Set<String> refused = graph.blockersAmong(actor, others);
        Set<String> invitedOnly = new LinkedHashSet<>();
        if (friendsOnly) {
            Set<String> friends = graph.friendsOf(actor);
            others.stream().filter(u -> !friends.contains(u) && !refused.contains(u)).forEach(invitedOnly::add);
        }
        return new Welcome(refused, invitedOnly, actorInvited);
    }

    /** An {@code invitation} frame to the invitees' online devices; the others find it through sync. */
    private void tellInvited(String groupId, String name, String inviter, List<String> invitees) {
        deliveries.toUsers(invitees, null, new InvitationFrame(InvitationFrame.Change.INVITED, groupId, name, inviter));
    }

    private void refuse(Actor actor, String groupId, GroupRefusal refusal) {
        deliveries.toActor(actor, ErrorFrame.aboutGroup(refusal.code().name(), refusal.getMessage(), groupId));
    }
}
