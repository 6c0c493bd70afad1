package im.parley.sync;

import im.parley.eventing.Actor;
import im.parley.eventing.delivery.DeliveryBatch;
import im.parley.eventing.delivery.Frames;
import im.parley.eventing.EventTypes;
import im.parley.eventing.message.ConversationIds;
import im.parley.eventing.message.DeviceRef;
import im.parley.eventing.message.Message;
import im.parley.eventing.sync.ConversationSummary;
import im.parley.eventing.sync.SyncRequested;
import im.parley.eventing.sync.SyncResponded;
import im.parley.functions.handlers.Handlers;
import im.parley.functions.handlers.Reply;
import im.parley.membership.Groups;
import im.parley.messages.Messages;
import im.parley.social.SocialGraph;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * {@code im.parley.sync.requested} in; the answer ({@code im.parley.sync.responded}) goes straight to the
 * requesting device as the data of a {@code sync} frame carrying the request's id. A conversation the user is not in reads as empty, so sync reveals nothing.
 * <ul>
 *   <li>history: one page of a conversation after a seq;</li>
 *   <li>conversations: every conversation with its last message, last seq, read state and unread count;</li>
 *   <li>catch-up: every conversation after the device's cursors, up to the page size in all; {@code hasMore}
 *       asks the device to call again with its new cursors;</li>
 *   <li>members: a group's members and roles;</li>
 *   <li>readers: who has read a conversation up to a seq, from the read watermarks;</li>
 *   <li>friends: the user's friends, pending requests either way and blocks;</li>
 *   <li>invitations: the groups the user is invited to and has not answered.</li>
 * </ul>
 */
public final class SyncFunction {

    public static final int DEFAULT_PAGE = 100;
    public static final int CATCH_UP_PAGE = 1000;
    /** Conversations whose last seqs a catch-up reads in its first round of reads. */
    static final int FIRST_ROUND = 16;

    private final History history;
    private final Messages messages;
    private final SocialGraph graph;
    private final Groups groups;
    private final Consumer<DeliveryBatch> deliveries;

    /**
     * @param messages   single messages as they stand, as persist keeps them: the last of each conversation
     * @param graph      friends, requests and blocks, as the friend-request function keeps them
     * @param groups     groups, their members and invitations, as the group function keeps them
     * @param deliveries sends a batch to a connection node's delivery stream
     */
    public SyncFunction(History history, Messages messages, SocialGraph graph, Groups groups,
                        Consumer<DeliveryBatch> deliveries) {
        this.history = history;
        this.messages = messages;
        this.graph = graph;
        this.groups = groups;
        this.deliveries = deliveries;
    }

    /** What hosting serves. */
    public Handlers handlers() {
        return Handlers.of("sync").on(EventTypes.SYNC_REQUESTED, (request, context) -> {
            answer(request, context.requireActor());
            return Reply.none();
        }).build();
    }

    /** Answers on the asking device only, with a {@code sync} frame. */
    private void answer(SyncRequested request, Actor actor) {
        DeviceRef device = new DeviceRef(actor.userId(), actor.deviceId());
        SyncResponded response = switch (request.kind()) {
            case HISTORY -> history(request, device, actor.nodeId());
            case CONVERSATIONS -> new SyncResponded(request.requestId(), device, actor.nodeId(),
                    conversations(actor.userId()), List.of(), false);
            case CATCH_UP -> catchUp(request, device, actor.nodeId());
            case MEMBERS -> members(request, device, actor.nodeId());
            case READERS -> readers(request, device, actor.nodeId());
            case FRIENDS -> new SyncResponded(request.requestId(), device, actor.nodeId(), List.of(), List.of(), List.of(),
                    List.of(), graph.relations(actor.userId()), List.of(), false);
            case INVITATIONS -> new SyncResponded(request.requestId(), device, actor.nodeId(), List.of(), List.of(),
                    List.of(), List.of(), List.of(), groups.invitations(actor.userId()), false);
        };
        deliveries.accept(DeliveryBatch.toActor(actor, Frames.of("sync", request.requestId(), response)));
    }

    private SyncResponded history(SyncRequested request, DeviceRef device, String node) {
        if (!isMember(request.conversationId(), device.userId())) {
            return new SyncResponded(request.requestId(), device, node, List.of(), List.of(), false);
        }
        int limit = request.limit() == null ? DEFAULT_PAGE : request.limit();
        List<Message> page = history.after(request.conversationId(), request.afterSeq(), limit);
        long last = history.lastSeq(request.conversationId());
        boolean more = !page.isEmpty() && page.get(page.size() - 1).serverSeq() < last;
        return new SyncResponded(request.requestId(), device, node, List.of(), page, more);
    }

    private List<ConversationSummary> conversations(String userId) {
        List<ConversationSummary> summaries = new ArrayList<>();
        for (String conversation : history.conversationsOf(userId)) {
            long last = history.lastSeq(conversation);
            long[] marks = history.readAndDelivered(conversation, userId);
            summaries.add(new ConversationSummary(conversation, last, marks[0], marks[1], Math.max(0, last - marks[0]),
                    last == 0 ? null : messages.find(conversation, last).orElse(null)));
        }
        return summaries;
    }

    private SyncResponded catchUp(SyncRequested request, DeviceRef device, String node) {
        Map<String, Long> cursors = request.cursors() == null ? Map.of() : request.cursors();
        Set<String> conversations = new LinkedHashSet<>(history.conversationsOf(device.userId()));
        // Only cursors of conversations not on the user's list cost a read each; the schema caps them at 2,000.
        cursors.keySet().stream().filter(c -> !conversations.contains(c) && isMember(c, device.userId()))
                .forEach(conversations::add);
        int budget = request.limit() == null ? CATCH_UP_PAGE : request.limit();
        // Conversations the device has no cursor for come first: those it has a cursor for it has mostly caught up
        // on. Last seqs are read in rounds, each at once across its conversations and twice the size of the one
        // before, until the page is full and one more conversation is known to have more.
        List<String> order = new ArrayList<>(conversations);
        order.sort(Comparator.comparing(cursors::containsKey));
        List<History.Range> ranges = new ArrayList<>();
        boolean more = false;
        for (int from = 0, round = FIRST_ROUND; from < order.size() && !more; from += round, round *= 2) {
            List<String> batch = order.subList(from, Math.min(order.size(), from + round));
            List<Long> lasts = history.lastSeqs(batch);
            for (int i = 0; i < batch.size(); i++) {
                long cursor = cursors.getOrDefault(batch.get(i), 0L);
                long last = lasts.get(i);
                if (last <= cursor) {
                    continue;
                }
                if (budget == 0) {
                    more = true;
                    break;
                }
                // Seqs are dense, so a conversation fills at most last - cursor of the budget.
                int wanted = (int) Math.min(budget, last - cursor);
                ranges.add(new History.Range(batch.get(i), cursor, last, wanted));
                budget -= wanted;
            }
        }
        List<Message> messages = new ArrayList<>();
        List<List<Message>> pages = history.pages(ranges);
        for (int i = 0; i < ranges.size(); i++) {
            List<Message> page = pages.get(i);
            messages.addAll(page);
            if (page.isEmpty() || page.get(page.size() - 1).serverSeq() < ranges.get(i).lastSeq()) {
                more = true;
            }
        }
        return new SyncResponded(request.requestId(), device, node, List.of(), messages, more);
    }

    private SyncResponded members(SyncRequested request, DeviceRef device, String node) {
        boolean member = request.conversationId().startsWith("g:") && isMember(request.conversationId(), device.userId());
        return new SyncResponded(request.requestId(), device, node, List.of(), List.of(),
                member ? groups.members(request.conversationId().substring(2)) : List.of(), List.of(), List.of(),
                List.of(), false);
    }

    /** The two users of a 1:1 chat, or a group's members. */
    private boolean isMember(String conversationId, String userId) {
        List<String> pair = ConversationIds.directUsers(conversationId);
        if (!pair.isEmpty()) {
            return pair.contains(userId);
        }
        return conversationId.startsWith("g:") && groups.isMember(conversationId.substring(2), userId);
    }

    /** Everyone but the asker: sending moves the sender's own watermark, and "read by" means the others. */
    private SyncResponded readers(SyncRequested request, DeviceRef device, String node) {
        boolean member = isMember(request.conversationId(), device.userId());
        List<String> readers = member ? history.readers(request.conversationId(), request.seq()).stream()
                .filter(user -> !user.equals(device.userId())).toList() : List.of();
        return new SyncResponded(request.requestId(), device, node, List.of(), List.of(), List.of(), readers, List.of(),
                List.of(), false);
    }
}
