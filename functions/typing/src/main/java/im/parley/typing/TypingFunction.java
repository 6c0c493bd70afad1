package im.parley.typing;

import im.parley.delivery.Deliveries;
import im.parley.eventing.Actor;
import im.parley.eventing.message.ConversationIds;
import im.parley.functions.handlers.Handlers;
import im.parley.functions.handlers.Reply;
import im.parley.membership.Members;
import im.parley.social.SocialGraph;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code im.parley.typing.sent} in; a {@code typing} frame to the conversation's other members who are online, out.
 * Nothing is stored: a late indicator is worse than none, so one older than its expiry is dropped, and one that
 * cannot be told (no one online) is simply gone. Each user's indicators are throttled per conversation and state,
 * large groups are never told, and blocks and the 1:1 friendship rule are honoured as for messages.
 */
public final class TypingFunction {

    /** How the function behaves; the defaults are in {@link TypingConfiguration}. */
    public record Settings(Duration expiry, Duration interval, int groupLimit, boolean directRequiresFriendship) {
    }

    private final Members members;
    private final SocialGraph graph;
    private final Throttle throttle;
    private final Deliveries deliveries;
    private final Settings settings;
    private final Clock clock;

    public TypingFunction(Members members, SocialGraph graph, Throttle throttle, Deliveries deliveries, Settings settings,
                          Clock clock) {
        this.members = members;
        this.graph = graph;
        this.throttle = throttle;
        this.deliveries = deliveries;
        this.settings = settings;
        this.clock = clock;
    }

    /** What hosting serves: one handler per event type, each with its Trigger in manifests/. */
    public Handlers handlers() {
        return Handlers.of("typing")
                .on("im.parley.typing.sent", TypingSent.class, (typing, context) -> {
                    tell(typing, context.requireActor(), context.time());
                    return Reply.none();
                })
                .build();
    }

    private void tell(TypingSent typing, Actor actor, Instant sent) {
        if (sent != null && sent.plus(settings.expiry()).isBefore(clock.instant())) {
            return;
        }
        String conversation = typing.conversationId();
        // Before any read: a client that repeats too often costs one Redis write, not a member list.
        if (!throttle.admit("parley:typing:{" + actor.userId() + "}:" + conversation + ":" + typing.state(),
                settings.interval())) {
            return;
        }
        Set<String> to = recipients(conversation, actor.userId());
        if (!to.isEmpty()) {
            deliveries.toUsers(to, null, "typing",
                    new Typing(conversation, actor.userId(), typing.state(), settings.expiry().toMillis()));
        }
    }

    /** The members to tell: none when the sender is not one, the group is too large, or a block stands between. */
    private Set<String> recipients(String conversation, String sender) {
        List<String> direct = ConversationIds.directUsers(conversation);
        if (!direct.isEmpty()) {
            if (!direct.contains(sender)) {
                return Set.of();
            }
            String other = direct.get(0).equals(sender) ? direct.get(1) : direct.get(0);
            if (other.equals(sender) || graph.blockedEitherWay(sender, other)
                    || settings.directRequiresFriendship() && !graph.areFriends(sender, other)) {
                return Set.of();
            }
            return Set.of(other);
        }
        List<String> all = members.of(conversation);
        if (all.size() > settings.groupLimit() || !all.contains(sender)) {
            return Set.of();
        }
        Set<String> to = new LinkedHashSet<>(all);
        to.remove(sender);
        to.removeAll(graph.blockedBy(sender));
        to.removeAll(graph.blockersAmong(sender, to));
        return to;
    }
}
