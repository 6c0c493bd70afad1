package im.parley.sync;

import static org.assertj.core.api.Assertions.assertThat;

import im.parley.eventing.Actor;
import im.parley.eventing.EventJson;
import im.parley.eventing.EventTypes;
import im.parley.eventing.Events;
import im.parley.eventing.delivery.DeliveryBatch;
import im.parley.eventing.friend.FriendEntry;
import im.parley.eventing.group.GroupInvitation;
import im.parley.eventing.message.ContentType;
import im.parley.eventing.message.DeviceRef;
import im.parley.eventing.message.Message;
import im.parley.eventing.sync.SyncRequested;
import im.parley.eventing.sync.SyncResponded;
import im.parley.functions.handlers.TriggerTypes;
import im.parley.membership.InMemoryGroups;
import im.parley.messages.InMemoryMessages;
import im.parley.social.InMemorySocialGraph;
import io.cloudevents.CloudEvent;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SyncFunctionTest {

    /** n messages of bob's, seqs 1 to n. */
    static List<Message> messages(String conversation, int n) {
        List<Message> list = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            list.add(new Message(conversation, "c" + i, i, new DeviceRef("bob", "phone"), ContentType.TEXT, "m" + i,
                    Instant.parse("2026-11-24T00:00:00Z").plusSeconds(i)));
        }
        return list;
    }

    final List<DeliveryBatch> sent = new ArrayList<>();
    final InMemoryHistory history = new InMemoryHistory();
    final InMemorySocialGraph graph = new InMemorySocialGraph();
    final InMemoryGroups groups = new InMemoryGroups();
    final InMemoryMessages stored = new InMemoryMessages();
    final SyncFunction sync = new SyncFunction(history, stored, graph, groups, sent::add);

    /**
     * Conversations of alice: d:alice:bob with 5 messages, g:crew with 3. Alice read 2 of d:alice:bob; in g:crew
     * alice read 2 and bob 3.
     */
    {
        conversation("d:alice:bob", 5);
        conversation("g:crew", 3);
        history.marks("d:alice:bob", "alice", 2, 4);
        history.marks("g:crew", "alice", 2, 2);
        history.marks("g:crew", "bob", 3, 3);
    }

    void conversation(String conversationId, int messages) {
        messages(conversationId, messages).forEach(m -> {
            history.stored(m);
            stored.put(m);
        });
        history.joined("alice", conversationId);
    }

    {
        graph.befriend("alice", "bob");
        groups.create("crew", List.of("alice", "bob"));
        groups.invite("alice", new GroupInvitation("club", "Club", "carol", null));
    }

    @Test
    void itHandlesExactlyItsTriggersTypes() {
        assertThat(sync.handlers().types()).containsExactlyInAnyOrderElementsOf(TriggerTypes.of("sync"));
    }

    SyncResponded ask(String user, SyncRequested request) throws Exception {
        CloudEvent event = Events.create(EventTypes.SYNC_REQUESTED, request, new Actor(user, "tablet", "n7"), URI.create("/parley/nodes/n7"));
        assertThat(sync.handlers().apply(event)).isNull();
        DeliveryBatch last = sent.get(sent.size() - 1);
        assertThat(last.nodeId()).isEqualTo("n7");
        DeliveryBatch.Item item = last.items().get(0);
        assertThat(item.targets()).containsExactly(new DeviceRef(user, "tablet"));
        assertThat(item.frame().path("t").asText()).isEqualTo("sync");
        assertThat(item.frame().path("id").asText()).isEqualTo(request.requestId());
        SyncResponded response = EventJson.MAPPER.treeToValue(item.frame().path("d"), SyncResponded.class);
        assertThat(response.target()).isEqualTo(new DeviceRef(user, "tablet"));
        assertThat(response.requestId()).isEqualTo(request.requestId());
        return response;
    }

    @Test
    void historyPagesAfterASeq() throws Exception {
        SyncResponded first = ask("alice", new SyncRequested("r1", SyncRequested.Kind.HISTORY, "d:alice:bob", 1L, 2, null, null));
        assertThat(first.messages()).extracting(Message::serverSeq).containsExactly(2L, 3L);
        assertThat(first.hasMore()).isTrue();
        SyncResponded last = ask("alice", new SyncRequested("r2", SyncRequested.Kind.HISTORY, "d:alice:bob", 3L, 10, null, null));
        assertThat(last.messages()).extracting(Message::serverSeq).containsExactly(4L, 5L);
        assertThat(last.hasMore()).isFalse();
    }

    @Test
    void historyShowsAnAmendedMessageAsItStandsAndItsAmendmentsInSeqOrder() throws Exception {
        Message first = messages("d:alice:bob", 1).get(0);
        history.stored(new Message(first.conversationId(), first.clientMsgId(), 1, first.sender(), ContentType.TEXT, "fixed",
                first.sentAt(), null, true, null));
        history.stored(new Message("d:alice:bob", "e1", 6, first.sender(), ContentType.EDIT, "fixed", first.sentAt(), 1L,
                null, null));
        SyncResponded page = ask("alice", new SyncRequested("r9", SyncRequested.Kind.HISTORY, "d:alice:bob", 0L, 10, null, null));
        assertThat(page.messages()).extracting(Message::serverSeq).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
        assertThat(page.messages().get(0).edited()).isTrue();
        assertThat(page.messages().get(5).refersTo()).isEqualTo(1L);
        assertThat(im.parley.eventing.schema.EventSchemas.frameViolations(sent.get(sent.size() - 1).items().get(0).frame()))
                .isEmpty();
    }

    @Test
    void aStrangerSeesNothing() throws Exception {
        SyncResponded response = ask("mallory", new SyncRequested("r3", SyncRequested.Kind.HISTORY, "d:alice:bob", 0L, 10, null, null));
        assertThat(response.messages()).isEmpty();
        assertThat(response.hasMore()).isFalse();
    }

    @Test
    void theConversationListHasLastMessagesAndUnreadCounts() throws Exception {
        SyncResponded response = ask("alice", new SyncRequested("r4", SyncRequested.Kind.CONVERSATIONS, null, null, null, null, null));
        assertThat(response.conversations()).hasSize(2);
        var direct = response.conversations().get(0);
        assertThat(direct.conversationId()).isEqualTo("d:alice:bob");
        assertThat(direct.lastSeq()).isEqualTo(5);
        assertThat(direct.readSeq()).isEqualTo(2);
        assertThat(direct.unread()).isEqualTo(3);
        assertThat(direct.lastMessage().content()).isEqualTo("m5");
        assertThat(response.conversations().get(1).unread()).isEqualTo(1);
    }

    @Test
    void catchUpReturnsEverythingAfterTheCursorsInPages() throws Exception {
        // The conversation without a cursor comes first.
        SyncResponded first = ask("alice", new SyncRequested("r5", SyncRequested.Kind.CATCH_UP, null, null, 4,
                Map.of("d:alice:bob", 3L), null));
        assertThat(first.messages()).extracting(m -> m.conversationId() + "#" + m.serverSeq())
                .containsExactly("g:crew#1", "g:crew#2", "g:crew#3", "d:alice:bob#4");
        assertThat(first.hasMore()).isTrue();
        SyncResponded second = ask("alice", new SyncRequested("r6", SyncRequested.Kind.CATCH_UP, null, null, 4,
                Map.of("d:alice:bob", 4L, "g:crew", 3L), null));
        assertThat(second.messages()).extracting(m -> m.conversationId() + "#" + m.serverSeq()).containsExactly("d:alice:bob#5");
        assertThat(second.hasMore()).isFalse();
    }

    @Test
    void aLongCatchUpGetsEveryMessageOnceAndReadsFewLastSeqsPerPage() throws Exception {
        for (int c = 0; c < 40; c++) {
            conversation("g:c" + c, 30);
        }
        Map<String, Long> cursors = new HashMap<>();
        List<String> seen = new ArrayList<>();
        int pages = 0;
        for (boolean more = true; more; pages++) {
            SyncResponded page = ask("alice", new SyncRequested("p" + pages, SyncRequested.Kind.CATCH_UP, null, null, 100,
                    Map.copyOf(cursors), null));
            for (Message m : page.messages()) {
                assertThat(m.serverSeq()).isEqualTo(cursors.getOrDefault(m.conversationId(), 0L) + 1);
                cursors.put(m.conversationId(), m.serverSeq());
                seen.add(m.conversationId() + "#" + m.serverSeq());
            }
            more = page.hasMore();
        }
        assertThat(seen).hasSize(5 + 3 + 40 * 30).doesNotHaveDuplicates();
        assertThat(pages).isEqualTo(13);
        // Reading every conversation's last seq on every page would be 13 x 42 = 546 reads; rounds read about half.
        assertThat(history.lastSeqReads).isLessThan(300);
    }

    @Test
    void aGroupMemberGetsTheMemberListAndWhoReadAMessage() throws Exception {
        SyncResponded members = ask("alice", new SyncRequested("r7", SyncRequested.Kind.MEMBERS, "g:crew", null, null, null, null));
        assertThat(members.members()).extracting(m -> m.userId() + ":" + m.role())
                .containsExactly("alice:OWNER", "bob:MEMBER");
        SyncResponded readers = ask("alice", new SyncRequested("r8", SyncRequested.Kind.READERS, "g:crew", null, null, null, 3L));
        assertThat(readers.readers()).containsExactly("bob");
        // Alice's watermark is at 2 (she sent it): she asks who else read it.
        assertThat(ask("alice", new SyncRequested("r8b", SyncRequested.Kind.READERS, "g:crew", null, null, null, 2L))
                .readers()).containsExactly("bob");
    }

    @Test
    void anOutsiderLearnsNothingAboutMembersOrReaders() throws Exception {
        assertThat(ask("mallory", new SyncRequested("r9", SyncRequested.Kind.MEMBERS, "g:crew", null, null, null, null))
                .members()).isEmpty();
        assertThat(ask("mallory", new SyncRequested("r10", SyncRequested.Kind.READERS, "g:crew", null, null, null, 1L))
                .readers()).isEmpty();
    }

    @Test
    void theFriendListIsTheRequestersOwn() throws Exception {
        assertThat(ask("alice", new SyncRequested("r11", SyncRequested.Kind.FRIENDS, null, null, null, null, null)).friends())
                .extracting(FriendEntry::userId).containsExactly("bob");
        assertThat(ask("mallory", new SyncRequested("r12", SyncRequested.Kind.FRIENDS, null, null, null, null, null)).friends())
                .isEmpty();
        assertThat(ask("alice", new SyncRequested("r13", SyncRequested.Kind.INVITATIONS, null, null, null, null, null))
                .invitations()).extracting(GroupInvitation::groupId).containsExactly("club");
        assertThat(ask("mallory", new SyncRequested("r14", SyncRequested.Kind.INVITATIONS, null, null, null, null, null))
                .invitations()).isEmpty();
    }
}
