package im.parley.friend;

import im.parley.delivery.Deliveries;
import im.parley.eventing.Actor;
import im.parley.eventing.EventTypes;
import im.parley.eventing.frame.ErrorFrame;
import im.parley.eventing.frame.FriendFrame;
import im.parley.eventing.message.ConversationIds;
import im.parley.friend.FriendRules.Action;
import im.parley.friend.FriendRules.Change;
import im.parley.friend.FriendRules.Decision;
import im.parley.functions.handlers.Context;
import im.parley.functions.handlers.Handlers;
import im.parley.functions.handlers.Reply;
import im.parley.quota.DailyQuota;
import im.parley.rights.PostingRightsCache;
import java.util.List;

/**
 * {@code im.parley.friend.*} in; both users are told on every online device with a {@code friend} frame, and a
 * refused step gets an {@code error} frame on the requesting device. The Triggers are ordered and keyed by the
 * pair of users, so the steps between two users are handled one at a time. There is no reply event: the friend
 * list is read through sync. Each user sends at most {@code requests.limit()} requests a day, whatever became of
 * them, so cancelling and asking again does not start over.
 */
public final class FriendFunction {

    private final Friendships graph;
    private final FriendRules rules;
    private final Deliveries deliveries;
    private final PostingRightsCache rights;
    private final DailyQuota requests;

    /**
     * @param rights   forgotten for the pair's chat after every step, so messages follow the new relation
     * @param requests the friend requests each user may send a day
     */
    public FriendFunction(Friendships graph, FriendRules rules, Deliveries deliveries, PostingRightsCache rights,
                          DailyQuota requests) {
        this.graph = graph;
        this.rules = rules;
        this.deliveries = deliveries;
        this.rights = rights;
        this.requests = requests;
    }

    /** What hosting serves: one handler per step between two users. */
    public Handlers handlers() {
        return Handlers.of("friend-request")
                .on(EventTypes.FRIEND_REQUESTED, (request, context) ->
                        step(Action.REQUEST, request.userId(), request.message(), context))
                .on(EventTypes.FRIEND_ACCEPTED, (a, context) -> step(Action.ACCEPT, a.userId(), null, context))
                .on(EventTypes.FRIEND_DECLINED, (a, context) -> step(Action.DECLINE, a.userId(), null, context))
                .on(EventTypes.FRIEND_CANCELLED, (a, context) -> step(Action.CANCEL, a.userId(), null, context))
                .on(EventTypes.FRIEND_REMOVED, (a, context) -> step(Action.REMOVE, a.userId(), null, context))
                .on(EventTypes.FRIEND_BLOCKED, (a, context) -> step(Action.BLOCK, a.userId(), null, context))
                .on(EventTypes.FRIEND_UNBLOCKED, (a, context) -> step(Action.UNBLOCK, a.userId(), null, context))
                .build();
    }

    private Reply<?> step(Action action, String other, String message, Context context) {
        Actor actor = context.requireActor();
        String me = actor.userId();
        String eventId = context.eventId();
        Decision decision;
        try {
            if (other.equals(me)) {
                throw new FriendRefusal(FriendRefusal.Code.INVALID, "that is you");
            }
            decision = rules.decide(action, graph.relation(me, other), eventId,
                    () -> graph.friendCount(me), () -> graph.friendCount(other));
            boolean asks = decision.write() == FriendRules.Write.REQUEST || decision.write() == FriendRules.Write.REQUEST_HIDDEN;
            if (asks && !requests.take(me, eventId)) {
                throw new FriendRefusal(FriendRefusal.Code.LIMIT_EXCEEDED,
                        "at most " + requests.limit() + " friend requests a day; try again tomorrow (UTC)");
            }
        } catch (FriendRefusal refusal) {
            deliveries.toActor(actor, ErrorFrame.aboutUser(refusal.code().name(), refusal.getMessage(), other));
            return Reply.none();
        }
        write(decision.write(), me, other, message, eventId);
        // Also when nothing was written: a redelivery may follow a first attempt that wrote and then failed.
        rights.forget(ConversationIds.direct(me, other));
        notify(me, other, decision, message);
        return Reply.none();
    }

    private void write(FriendRules.Write write, String me, String other, String message, String eventId) {
        switch (write) {
            case NONE -> { }
            case REQUEST -> graph.request(me, other, message, eventId, true);
            case REQUEST_HIDDEN -> graph.request(me, other, message, eventId, false);
            case BEFRIEND -> graph.befriend(me, other);
            case DROP_OUTGOING -> graph.dropRequest(me, other);
            case DROP_INCOMING -> graph.dropRequest(other, me);
            case UNFRIEND -> graph.unfriend(me, other);
            case BLOCK -> graph.block(me, other);
            case UNBLOCK -> graph.unblock(me, other);
        }
    }

    /** Each user's own frame to that user's devices; a user the decision does not tell gets none. */
    private void notify(String me, String other, Decision decision, String message) {
        deliveries.toUsers(List.of(me), null, frame(decision.toActor(), other, me, message));
        if (decision.toOther() != null) {
            deliveries.toUsers(List.of(other), null, frame(decision.toOther(), me, me, message));
        }
    }

    /** @param userId the other user, from the recipient's side */
    private static FriendFrame frame(Change change, String userId, String actor, String message) {
        return new FriendFrame(FriendFrame.Change.valueOf(change.name()), userId, actor,
                change == Change.REQUESTED ? message : null);
    }
}
