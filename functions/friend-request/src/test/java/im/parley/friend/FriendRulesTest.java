package im.parley.friend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import im.parley.friend.FriendRules.Action;
import im.parley.friend.FriendRules.Change;
import im.parley.friend.FriendRules.Decision;
import im.parley.friend.FriendRules.Write;
import java.time.Instant;
import java.util.Optional;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.Test;

class FriendRulesTest {

    private final FriendRules rules = new FriendRules(3);
    private static final IntSupplier NONE = () -> 0;
    private static final Relation.Pending PENDING = new Relation.Pending("e1", "hi", Instant.EPOCH);

    private Decision decide(Action action, Relation relation) {
        return rules.decide(action, relation, "e1", NONE, NONE);
    }

    private static Relation with(boolean friends, Relation.Pending out, Relation.Pending in, boolean blocking, boolean blockedBy) {
        return new Relation(friends, Optional.ofNullable(out), out != null && !blockedBy, Optional.ofNullable(in), blocking,
                blockedBy);
    }

    @Test
    void aRequestTellsBothAndARepeatTellsOnlyTheSenderWhileARedeliveryTellsBothAgain() {
        assertThat(decide(Action.REQUEST, Relation.none()))
                .isEqualTo(new Decision(Write.REQUEST, Change.REQUESTED, Change.REQUESTED));
        assertThat(rules.decide(Action.REQUEST, with(false, PENDING, null, false, false), "e2", NONE, NONE))
                .isEqualTo(new Decision(Write.REQUEST, Change.REQUESTED, null));
        assertThat(rules.decide(Action.REQUEST, with(false, PENDING, null, false, false), "e1", NONE, NONE))
                .isEqualTo(new Decision(Write.REQUEST, Change.REQUESTED, Change.REQUESTED));
    }

    @Test
    void aRequestKeptFromTheOtherWhileTheyBlockedYouIsSentForRealOnceTheyUnblock() {
        Relation hiddenThenUnblocked = new Relation(false, Optional.of(PENDING), false, Optional.empty(), false, false);
        assertThat(rules.decide(Action.REQUEST, hiddenThenUnblocked, "e2", NONE, NONE))
                .isEqualTo(new Decision(Write.REQUEST, Change.REQUESTED, Change.REQUESTED));
    }

    @Test
    void requestingSomeoneWhoAskedYouMakesYouFriends() {
        assertThat(decide(Action.REQUEST, with(false, null, PENDING, false, false)))
                .isEqualTo(new Decision(Write.BEFRIEND, Change.ACCEPTED, Change.ACCEPTED));
    }

    @Test
    void aBlockedUsersRequestLooksSentButNeverReachesTheBlocker() {
        assertThat(decide(Action.REQUEST, with(false, null, null, false, true)))
                .isEqualTo(new Decision(Write.REQUEST_HIDDEN, Change.REQUESTED, null));
        assertThat(decide(Action.CANCEL, with(false, PENDING, null, false, true)))
                .isEqualTo(new Decision(Write.DROP_OUTGOING, Change.CANCELLED, null));
    }

    @Test
    void theBlockerMustUnblockBeforeRequesting() {
        assertThatThrownBy(() -> decide(Action.REQUEST, with(false, null, null, true, false)))
                .isInstanceOfSatisfying(FriendRefusal.class, r -> assertThat(r.code()).isEqualTo(FriendRefusal.Code.BLOCKED));
    }

    @Test
    void friendsCannotRequestAgain() {
        assertThatThrownBy(() -> decide(Action.REQUEST, with(true, null, null, false, false)))
                .isInstanceOfSatisfying(FriendRefusal.class, r -> assertThat(r.code()).isEqualTo(FriendRefusal.Code.ALREADY_FRIENDS));
    }

    @Test
    void acceptNeedsARequestAndRoomOnBothSidesAndIsIdempotent() {
        assertThat(decide(Action.ACCEPT, with(false, null, PENDING, false, false)))
                .isEqualTo(new Decision(Write.BEFRIEND, Change.ACCEPTED, Change.ACCEPTED));
        assertThat(decide(Action.ACCEPT, with(true, null, null, false, false)))
                .isEqualTo(new Decision(Write.NONE, Change.ACCEPTED, Change.ACCEPTED));
        assertThatThrownBy(() -> decide(Action.ACCEPT, Relation.none()))
                .isInstanceOfSatisfying(FriendRefusal.class, r -> assertThat(r.code()).isEqualTo(FriendRefusal.Code.NO_REQUEST));
        assertThatThrownBy(() -> rules.decide(Action.ACCEPT, with(false, null, PENDING, false, false), "e", () -> 3, NONE))
                .isInstanceOfSatisfying(FriendRefusal.class, r -> assertThat(r.code()).isEqualTo(FriendRefusal.Code.LIMIT_EXCEEDED));
        assertThatThrownBy(() -> rules.decide(Action.ACCEPT, with(false, null, PENDING, false, false), "e", NONE, () -> 3))
                .isInstanceOfSatisfying(FriendRefusal.class, r -> assertThat(r.code()).isEqualTo(FriendRefusal.Code.LIMIT_EXCEEDED));
    }

    @Test
    void aUserAtTheCapCannotAskForMore() {
        assertThatThrownBy(() -> rules.decide(Action.REQUEST, Relation.none(), "e", () -> 3, NONE))
                .isInstanceOfSatisfying(FriendRefusal.class, r -> assertThat(r.code()).isEqualTo(FriendRefusal.Code.LIMIT_EXCEEDED));
    }

    @Test
    void declineCancelAndRemoveNeedSomethingToUndo() {
        assertThat(decide(Action.DECLINE, with(false, null, PENDING, false, false)))
                .isEqualTo(new Decision(Write.DROP_INCOMING, Change.DECLINED, Change.DECLINED));
        assertThat(decide(Action.CANCEL, with(false, PENDING, null, false, false)))
                .isEqualTo(new Decision(Write.DROP_OUTGOING, Change.CANCELLED, Change.CANCELLED));
        assertThat(decide(Action.REMOVE, with(true, null, null, false, false)))
                .isEqualTo(new Decision(Write.UNFRIEND, Change.REMOVED, Change.REMOVED));
        for (Action action : new Action[] {Action.DECLINE, Action.CANCEL}) {
            assertThatThrownBy(() -> decide(action, Relation.none()))
                    .isInstanceOfSatisfying(FriendRefusal.class, r -> assertThat(r.code()).isEqualTo(FriendRefusal.Code.NO_REQUEST));
        }
        assertThatThrownBy(() -> decide(Action.REMOVE, Relation.none()))
                .isInstanceOfSatisfying(FriendRefusal.class, r -> assertThat(r.code()).isEqualTo(FriendRefusal.Code.NOT_FRIENDS));
    }

    @Test
    void aBlockLooksLikeARemovalOrACancellationToTheBlockedSideAndNothingMore() {
        assertThat(decide(Action.BLOCK, with(true, null, null, false, false)))
                .isEqualTo(new Decision(Write.BLOCK, Change.BLOCKED, Change.REMOVED));
        assertThat(decide(Action.BLOCK, with(false, PENDING, null, false, false)))
                .isEqualTo(new Decision(Write.BLOCK, Change.BLOCKED, Change.CANCELLED));
        assertThat(decide(Action.BLOCK, with(false, null, PENDING, false, false)))
                .as("their request just stays unanswered")
                .isEqualTo(new Decision(Write.BLOCK, Change.BLOCKED, null));
        assertThat(decide(Action.BLOCK, with(false, null, null, true, false)))
                .isEqualTo(new Decision(Write.NONE, Change.BLOCKED, null));
        assertThat(decide(Action.UNBLOCK, with(false, null, null, true, false)))
                .isEqualTo(new Decision(Write.UNBLOCK, Change.UNBLOCKED, null));
        assertThat(decide(Action.UNBLOCK, Relation.none()))
                .isEqualTo(new Decision(Write.NONE, Change.UNBLOCKED, null));
    }
}
