package im.parley.friend;

import im.parley.friend.FriendRefusal.Code;
import java.util.function.IntSupplier;

/**
 * Who may do what between two users, as a pure decision: what to write and whom to tell. A blocked user is never
 * told about the block: their request to the blocker is kept as pending on their side only (it lapses like any
 * unanswered request), and a block ends a friendship as a removal would.
 */
public final class FriendRules {

    /** The notification each side gets; the other side gets none when {@code toOther} is null. */
    public record Decision(Write write, Change toActor, Change toOther) {
    }

    public enum Write { NONE, REQUEST, REQUEST_HIDDEN, BEFRIEND, DROP_OUTGOING, DROP_INCOMING, UNFRIEND, BLOCK, UNBLOCK }

    public enum Change { REQUESTED, ACCEPTED, DECLINED, CANCELLED, REMOVED, BLOCKED, UNBLOCKED }

    public enum Action { REQUEST, ACCEPT, DECLINE, CANCEL, REMOVE, BLOCK, UNBLOCK }

    private final int maxFriends;

    public FriendRules(int maxFriends) {
        this.maxFriends = maxFriends;
    }

    /**
     * @param eventId  the id of the event being handled: a request redelivered under the same id tells the other
     *                 side again, a repeated one (new id) does not
     * @param actorFriends  how many friends the actor has, asked only when it matters
     * @param otherFriends  how many friends the other user has, asked only when it matters
     */
    public Decision decide(Action action, Relation relation, String eventId, IntSupplier actorFriends,
                           IntSupplier otherFriends) {
        return switch (action) {
            case REQUEST -> request(relation, eventId, actorFriends, otherFriends);
            case ACCEPT -> accept(relation, actorFriends, otherFriends);
            case DECLINE -> {
                if (relation.incoming().isEmpty()) {
                    throw new FriendRefusal(Code.NO_REQUEST, "no pending request from this user");
                }
                yield new Decision(Write.DROP_INCOMING, Change.DECLINED, Change.DECLINED);
            }
            case CANCEL -> {
                if (relation.outgoing().isEmpty()) {
                    throw new FriendRefusal(Code.NO_REQUEST, "no pending request to this user");
                }
                yield new Decision(Write.DROP_OUTGOING, Change.CANCELLED, relation.outgoingArrived() ? Change.CANCELLED : null);
            }
            case REMOVE -> {
                if (!relation.friends()) {
                    throw new FriendRefusal(Code.NOT_FRIENDS, "not friends with this user");
                }
                yield new Decision(Write.UNFRIEND, Change.REMOVED, Change.REMOVED);
            }
            case BLOCK -> block(relation);
            case UNBLOCK -> new Decision(relation.blocking() ? Write.UNBLOCK : Write.NONE, Change.UNBLOCKED, null);
        };
    }

    private Decision request(Relation relation, String eventId, IntSupplier actorFriends, IntSupplier otherFriends) {
        if (relation.blocking()) {
            throw new FriendRefusal(Code.BLOCKED, "you have blocked this user; unblock first");
        }
        if (relation.friends()) {
            throw new FriendRefusal(Code.ALREADY_FRIENDS, "already friends");
        }
        if (relation.blockedBy()) {
            return new Decision(Write.REQUEST_HIDDEN, Change.REQUESTED, null);
        }
        if (relation.incoming().isPresent()) {
            return accept(relation, actorFriends, otherFriends);
        }
        if (relation.outgoing().isPresent() && relation.outgoingArrived()) {
            boolean redelivered = relation.outgoing().get().eventId() != null
                    && relation.outgoing().get().eventId().equals(eventId);
            return new Decision(Write.REQUEST, Change.REQUESTED, redelivered ? Change.REQUESTED : null);
        }
        if (actorFriends.getAsInt() >= maxFriends) {
            throw new FriendRefusal(Code.LIMIT_EXCEEDED, "you have " + maxFriends + " friends, the most allowed");
        }
        return new Decision(Write.REQUEST, Change.REQUESTED, Change.REQUESTED);
    }

    private Decision accept(Relation relation, IntSupplier actorFriends, IntSupplier otherFriends) {
        if (relation.incoming().isEmpty()) {
            if (relation.friends()) {
                return new Decision(Write.NONE, Change.ACCEPTED, Change.ACCEPTED);
            }
            throw new FriendRefusal(Code.NO_REQUEST, "no pending request from this user");
        }
        if (actorFriends.getAsInt() >= maxFriends) {
            throw new FriendRefusal(Code.LIMIT_EXCEEDED, "you have " + maxFriends + " friends, the most allowed");
        }
        if (otherFriends.getAsInt() >= maxFriends) {
            throw new FriendRefusal(Code.LIMIT_EXCEEDED, "this user has the most friends allowed");
        }
        return new Decision(Write.BEFRIEND, Change.ACCEPTED, Change.ACCEPTED);
    }

    private static Decision block(Relation relation) {
        if (relation.blocking()) {
            return new Decision(Write.NONE, Change.BLOCKED, null);
        }
        Change toOther = null;
        if (relation.friends()) {
            toOther = Change.REMOVED;
        } else if (relation.outgoingArrived()) {
            toOther = Change.CANCELLED;
        }
        return new Decision(Write.BLOCK, Change.BLOCKED, toOther);
    }
}
