package im.parley.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import im.parley.stack.CassandraServer;
import im.parley.stack.KafkaServer;
import im.parley.stack.RedisServer;
import im.parley.stack.junit.LocalStack;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Message edit and recall through the whole system, over real sockets: the amend function (made by ./parley
 * new-function) checks who may, and the message path sequences, stores and delivers the amendment as a message.
 */
@LocalStack
class AmendFunctionIT {

    static FullStack stack;

    @BeforeAll
    static void start(KafkaServer kafka, RedisServer redis, CassandraServer cassandra) throws Exception {
        // Group members are added directly, friends or not.
        stack = FullStack.start("amend", kafka, redis, cassandra, Map.of(), Map.of("PARLEY_GROUP_ADD_FRIENDS_ONLY", "false"));
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    static String frame(String type, String data) {
        return SocialIT.frame(type, data);
    }

    static String edit(String conversation, String clientMsgId, long seq, String content) {
        return frame("edit", "{\"conversationId\":\"" + conversation + "\",\"clientMsgId\":\"" + clientMsgId + "\",\"seq\":"
                + seq + ",\"content\":\"" + content + "\"}");
    }

    static String recall(String conversation, String clientMsgId, long seq) {
        return frame("recall", "{\"conversationId\":\"" + conversation + "\",\"clientMsgId\":\"" + clientMsgId + "\",\"seq\":"
                + seq + "}");
    }

    /** Every message of a conversation after a seq, as sync's history gives it. */
    static List<JsonNode> history(Socket socket, String conversation, String requestId) throws Exception {
        socket.send(frame("sync", "{\"requestId\":\"" + requestId + "\",\"kind\":\"history\",\"conversationId\":\""
                + conversation + "\",\"afterSeq\":0,\"limit\":50}"));
        List<JsonNode> messages = new ArrayList<>();
        JsonNode answer = socket.await("sync");
        assertThat(answer.path("id").asText()).isEqualTo(requestId);
        answer.path("d").path("messages").forEach(messages::add);
        return messages;
    }

    @Test
    void anEditReachesThePeerLiveAndAnOfflineDeviceOnCatchUpAndARecallLeavesNoContentInHistory() throws Exception {
        try (Socket alice = stack.open("alice", "phone"); Socket bob = stack.open("bob", "phone")) {
            SocialIT.befriend(alice, "alice", bob, "bob");
            alice.send(FullStack.send("d:alice:bob", "m1", "helo"));
            long seq = alice.await("ack").path("d").path("serverSeq").asLong();
            bob.await("msg");

            alice.send(edit("d:alice:bob", "e1", seq, "hello"));
            // The amend function starts from zero on its first event.
            JsonNode ack = alice.await("ack", Duration.ofSeconds(60));
            assertThat(ack.path("d").path("clientMsgId").asText()).isEqualTo("e1");
            assertThat(ack.path("d").path("serverSeq").asLong()).as("an edit is the conversation's next message").isEqualTo(seq + 1);
            JsonNode edited = bob.await("msg").path("d");
            assertThat(edited.path("contentType").asText()).isEqualTo("edit");
            assertThat(edited.path("refersTo").asLong()).isEqualTo(seq);
            assertThat(edited.path("content").asText()).isEqualTo("hello");
            assertThat(edited.path("sender").path("userId").asText()).isEqualTo("alice");

            // Bob's laptop was offline: catch-up gives it the message as it stands, and the edit.
            try (Socket laptop = stack.open("bob", "laptop")) {
                laptop.send(frame("sync", "{\"requestId\":\"c\",\"kind\":\"catch-up\",\"cursors\":{\"d:alice:bob\":0}}"));
                JsonNode messages = laptop.await("sync").path("d").path("messages");
                assertThat(messages).extracting(m -> m.path("serverSeq").asLong()).containsExactly(seq, seq + 1);
                assertThat(messages.get(0).path("content").asText()).isEqualTo("hello");
                assertThat(messages.get(0).path("edited").asBoolean()).isTrue();
            }

            // Bob may neither edit nor recall alice's 1:1 message; the message is untouched.
            bob.send(edit("d:alice:bob", "e2", seq, "mine now"));
            JsonNode refused = bob.await("error", Duration.ofSeconds(30)).path("d");
            assertThat(refused.path("code").asText()).isEqualTo("not-allowed");
            assertThat(refused.path("clientMsgId").asText()).isEqualTo("e2");

            alice.send(recall("d:alice:bob", "r1", seq));
            assertThat(alice.await("ack", "clientMsgId", "r1").path("d").path("serverSeq").asLong()).isEqualTo(seq + 2);
            JsonNode recalled = bob.await("msg").path("d");
            assertThat(recalled.path("contentType").asText()).isEqualTo("recall");
            assertThat(recalled.path("refersTo").asLong()).isEqualTo(seq);
            assertThat(recalled.path("content").asText()).isEmpty();

            List<JsonNode> history = history(bob, "d:alice:bob", "h");
            assertThat(history).extracting(m -> m.path("serverSeq").asLong()).containsExactly(seq, seq + 1, seq + 2);
            assertThat(history).as("no copy of the content is left, the edit's included")
                    .allSatisfy(m -> assertThat(m.path("content").asText()).isEmpty());
            assertThat(history.get(0).path("recalled").asBoolean()).isTrue();

            alice.send(edit("d:alice:bob", "e3", seq, "back again"));
            assertThat(alice.await("error", "clientMsgId", "e3").path("d").path("code").asText()).isEqualTo("recalled");
        }
    }

    @Test
    void aGroupAdminRecallsAMembersMessageAndEveryMemberIsTold() throws Exception {
        try (Socket olga = stack.open("olga", "phone"); Socket pete = stack.open("pete", "phone");
             Socket quin = stack.open("quin", "phone")) {
            olga.send(frame("group.create", "{\"groupId\":\"desk\",\"name\":\"Desk\",\"members\":[\"pete\",\"quin\"]}"));
            for (Socket s : List.of(olga, pete, quin)) {
                s.await("group");
            }
            pete.send(FullStack.send("g:desk", "p1", "spam"));
            long seq = pete.await("ack").path("d").path("serverSeq").asLong();
            olga.await("msg");
            quin.await("msg");

            quin.send(recall("g:desk", "q1", seq));
            assertThat(quin.await("error", Duration.ofSeconds(60)).path("d").path("code").asText())
                    .as("a plain member recalls only its own").isEqualTo("not-allowed");

            olga.send(recall("g:desk", "o1", seq));
            for (Socket s : List.of(pete, quin)) {
                JsonNode recall = s.await("msg", "contentType", "recall").path("d");
                assertThat(recall.path("refersTo").asLong()).isEqualTo(seq);
                assertThat(recall.path("sender").path("userId").asText()).isEqualTo("olga");
            }
            assertThat(olga.await("ack", "clientMsgId", "o1")).isNotNull();
            JsonNode original = history(quin, "g:desk", "h").get(0);
            assertThat(original.path("serverSeq").asLong()).isEqualTo(seq);
            assertThat(original.path("recalled").asBoolean()).isTrue();
            assertThat(original.path("content").asText()).isEmpty();
        }
    }
}
