package im.parley.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import im.parley.eventing.EventTypes;
import im.parley.eventing.Events;
import im.parley.eventing.binding.KafkaBinding;
import im.parley.eventing.knative.KnativeNames;
import im.parley.eventing.push.PushRequested;
import im.parley.stack.CassandraServer;
import im.parley.stack.KafkaServer;
import im.parley.stack.RedisServer;
import im.parley.stack.junit.LocalStack;
import io.cloudevents.CloudEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A 1,000-member group through the whole stack over real sockets: 900 members online, 100 offline. Created with
 * its members in one request; every online member sees every message once, in one order; the offline members are
 * asked for as pushes and catch up later; receipts give who-read and unread counts; roles are enforced.
 */
@LocalStack
class GroupMessagingIT {

    static final int MEMBERS = 1_000;
    static final int OFFLINE = 100;
    static FullStack stack;
    static KafkaServer kafka;

    @BeforeAll
    static void start(KafkaServer kafkaServer, RedisServer redis, CassandraServer cassandra) throws Exception {
        kafka = kafkaServer;
        // Members are added directly here, friends or not: invitations are SocialIT's.
        stack = FullStack.start("group_messaging", kafka, redis, cassandra, Map.of(),
                Map.of("PARLEY_GROUP_ADD_FRIENDS_ONLY", "false"));
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    static String user(int i) {
        return i == 0 ? "owner" : "m" + i;
    }

    static String frame(String type, String data) {
        return "{\"v\":1,\"t\":\"" + type + "\",\"d\":" + data + "}";
    }

    @Test
    void aThousandMemberGroupDeliversEveryMessageOnceInOrderAndTheOfflineCatchUp() throws Exception {
        Map<String, Socket> online = new LinkedHashMap<>();
        try {
            // Members 1..100 stay offline; the owner and the other 899 are online.
            for (int i = 0; i < MEMBERS; i++) {
                if (i == 0 || i > OFFLINE) {
                    online.put(user(i), stack.connect(user(i), "phone"));
                }
            }
            for (Socket socket : online.values()) {
                socket.await("welcome");
            }
            Socket owner = online.get("owner");
            String members = IntStream.range(1, MEMBERS).mapToObj(i -> "\"" + user(i) + "\"").collect(Collectors.joining(","));
            owner.send(frame("group.create", "{\"groupId\":\"big\",\"name\":\"Big\",\"members\":[" + members + "]}"));
            for (Socket socket : online.values()) {
                JsonNode created = socket.await("group");
                assertThat(created.path("d").path("change").asText()).isEqualTo("created");
                assertThat(created.path("d").path("memberCount").asInt()).isEqualTo(MEMBERS);
            }

            // Two members write at once: 20 from the owner, 10 from m500.
            Socket other = online.get("m500");
            for (int i = 0; i < 20; i++) {
                owner.send(FullStack.send("g:big", "o" + i, "owner " + i));
                if (i < 10) {
                    other.send(FullStack.send("g:big", "x" + i, "member " + i));
                }
            }
            List<Long> all = LongStream.rangeClosed(1, 30).boxed().toList();
            for (Map.Entry<String, Socket> member : online.entrySet()) {
                List<Long> seqs = member.getValue().collect(30, "msg", "ack").stream()
                        .map(f -> f.path("d").path("serverSeq").asLong()).toList();
                assertThat(seqs).as(member.getKey()).containsExactlyElementsOf(all);
            }

            // One push request per message, naming exactly the offline members.
            Set<String> offline = IntStream.rangeClosed(1, OFFLINE).mapToObj(GroupMessagingIT::user).collect(Collectors.toSet());
            Map<Long, PushRequested> pushes = pushRequests("g:big", 30);
            assertThat(pushes.keySet()).containsExactlyInAnyOrderElementsOf(all);
            pushes.values().forEach(p -> assertThat(p.userIds()).containsExactlyInAnyOrderElementsOf(offline));

            // Three members read up to 10, one up to 25: who read 10, and the unread counts.
            for (String reader : List.of("m200", "m300", "m400")) {
                online.get(reader).send(frame("receipt.read", "{\"conversationId\":\"g:big\",\"seq\":10}"));
            }
            online.get("m600").send(frame("receipt.read", "{\"conversationId\":\"g:big\",\"seq\":25}"));
            // m500 read it too: sending moves one's watermark, and m500's last message is past 10. The asker is left out.
            JsonNode readers = awaitReaders(owner, 10, 5);
            assertThat(readers).extracting(JsonNode::asText).containsExactlyInAnyOrder("m200", "m300", "m400", "m500", "m600");
            // Above 100 members the reads are batched: the members hear of all four in one or two receipts frames.
            Map<String, Long> told = new HashMap<>();
            long until = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (told.size() < 4 && System.nanoTime() < until) {
                for (JsonNode batch : online.get("m900").drain(Duration.ofMillis(500), "receipts")) {
                    assertThat(batch.path("d").path("conversationId").asText()).isEqualTo("g:big");
                    batch.path("d").path("readers").forEach(r -> told.put(r.path("userId").asText(), r.path("seq").asLong()));
                }
            }
            assertThat(told).isEqualTo(Map.of("m200", 10L, "m300", 10L, "m400", 10L, "m600", 25L));
            online.get("m600").send(frame("sync", "{\"requestId\":\"list\",\"kind\":\"conversations\"}"));
            JsonNode big = conversation(online.get("m600").await("sync"), "g:big");
            assertThat(big.path("lastSeq").asLong()).isEqualTo(30);
            assertThat(big.path("unread").asLong()).isEqualTo(5);

            // An offline member comes back and gets all 30 in order.
            try (Socket back = stack.open("m42", "phone")) {
                back.send(frame("sync", "{\"requestId\":\"c\",\"kind\":\"catch-up\",\"cursors\":{}}"));
                JsonNode page = back.await("sync");
                assertThat(page.path("d").path("messages")).extracting(m -> m.path("serverSeq").asLong())
                        .containsExactlyElementsOf(all);
                assertThat(page.path("d").path("hasMore").asBoolean()).isFalse();
            }
        } finally {
            online.values().forEach(Socket::close);
        }
    }

    @Test
    void rolesDecideWhoInvitesAndRemovesAndARemovedMemberCannotPost() throws Exception {
        try (Socket ann = stack.open("ann", "phone"); Socket ben = stack.open("ben", "phone");
             Socket cat = stack.open("cat", "phone"); Socket dan = stack.open("dan", "phone")) {
            ann.send(frame("group.create", "{\"groupId\":\"crew\",\"name\":\"Crew\",\"members\":[\"ben\",\"cat\"]}"));
            for (Socket s : List.of(ann, ben, cat)) {
                assertThat(s.await("group").path("d").path("members")).hasSize(3);
            }
            ben.send(frame("group.join", "{\"groupId\":\"crew\",\"members\":[\"dan\"]}"));
            assertThat(ben.await("error").path("d").path("code").asText()).isEqualTo("NOT_ALLOWED");
            dan.send(frame("group.join", "{\"groupId\":\"crew\"}"));
            assertThat(dan.await("error").path("d").path("code").asText()).isEqualTo("NOT_ALLOWED");

            ann.send(frame("group.role", "{\"groupId\":\"crew\",\"userId\":\"ben\",\"role\":\"admin\"}"));
            awaitChange(ben, "role-changed");
            ben.send(frame("group.join", "{\"groupId\":\"crew\",\"members\":[\"dan\"]}"));
            JsonNode invited = awaitChange(dan, "invited");
            assertThat(invited.path("d").path("memberCount").asInt()).isEqualTo(4);

            ben.send(frame("group.leave", "{\"groupId\":\"crew\",\"members\":[\"cat\"]}"));
            JsonNode removed = awaitChange(cat, "removed");
            assertThat(removed.path("d").path("members").get(0).path("userId").asText()).isEqualTo("cat");
            cat.send(FullStack.send("g:crew", "late", "still here?"));
            assertThat(cat.await("error").path("d").path("code").asText()).isEqualTo("not-member");

            dan.send(frame("sync", "{\"requestId\":\"who\",\"kind\":\"members\",\"conversationId\":\"g:crew\"}"));
            JsonNode list = dan.await("sync").path("d").path("members");
            assertThat(list).extracting(m -> m.path("userId").asText() + ":" + m.path("role").asText())
                    .containsExactly("ann:owner", "ben:admin", "dan:member");

            ann.send(frame("group.leave", "{\"groupId\":\"crew\"}"));
            assertThat(ann.await("error").path("d").path("code").asText()).isEqualTo("OWNER_MUST_TRANSFER");
        }
    }

    /** The next group frame announcing this kind of change; earlier announcements are skipped. */
    static JsonNode awaitChange(Socket socket, String change) throws InterruptedException {
        while (true) {
            JsonNode frame = socket.await("group");
            if (frame.path("d").path("change").asText().equals(change)) {
                return frame;
            }
        }
    }

    /** Receipts are applied asynchronously: ask until the expected number of readers is there. */
    static JsonNode awaitReaders(Socket asker, long seq, int expected) throws Exception {
        JsonNode readers = null;
        for (int round = 0; round < 50; round++) {
            asker.send(frame("sync", "{\"requestId\":\"r" + round + "\",\"kind\":\"readers\",\"conversationId\":\"g:big\","
                    + "\"seq\":" + seq + "}"));
            readers = asker.await("sync").path("d").path("readers");
            if (readers.size() >= expected) {
                return readers;
            }
            Thread.sleep(100);
        }
        return readers;
    }

    static JsonNode conversation(JsonNode sync, String id) {
        for (JsonNode c : sync.path("d").path("conversations")) {
            if (c.path("conversationId").asText().equals(id)) {
                return c;
            }
        }
        throw new AssertionError("no " + id + " in " + sync);
    }

    /** The push requests for a conversation on the message broker's topic, by seq. */
    static Map<Long, PushRequested> pushRequests(String conversation, int expected) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "e2e-push-" + System.nanoTime());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        Map<Long, PushRequested> found = new LinkedHashMap<>();
        List<String> duplicates = new ArrayList<>();
        Set<Long> seen = new HashSet<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(KnativeNames.brokerTopic("parley", EventTypes.PUSH_REQUESTED)));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (found.size() < expected && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    CloudEvent event = KafkaBinding.fromRecord(record);
                    if (event.getType().equals(EventTypes.PUSH_REQUESTED.type())) {
                        PushRequested push = Events.data(EventTypes.PUSH_REQUESTED, event);
                        if (push.conversationId().equals(conversation)) {
                            if (!seen.add(push.serverSeq())) {
                                duplicates.add(String.valueOf(push.serverSeq()));
                            }
                            found.put(push.serverSeq(), push);
                        }
                    }
                }
            }
        }
        assertThat(duplicates).as("one push request per message").isEmpty();
        return found;
    }
}
