package im.parley.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import im.parley.stack.CassandraServer;
import im.parley.stack.KafkaServer;
import im.parley.stack.RedisServer;
import im.parley.stack.junit.LocalStack;
import im.parley.stack.push.Delivery;
import im.parley.stack.push.PushSandbox;
import im.parley.stack.push.Reply;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Friends, blocks, presence and offline push through the whole system, over real sockets: connection tier, broker
 * topic, the friend-request, sequence, fanout, presence and push functions, Redis, Cassandra, and the APNs and FCM
 * stand-ins. 1:1 messages need friendship here (the default).
 */
@LocalStack
class SocialIT {

    static FullStack stack;
    static PushSandbox push;

    @BeforeAll
    static void start(KafkaServer kafka, RedisServer redis, CassandraServer cassandra) throws Exception {
        push = PushSandbox.start(Files.createTempDirectory("social-push"));
        Map<String, String> settings = new java.util.HashMap<>(push.environment());
        settings.put("PARLEY_PUSH_BACKOFF", "PT0.1S");
        stack = FullStack.start("social", kafka, redis, cassandra, Map.of(), settings);
        // Every Trigger starts at once and the functions start cold on two cores; the first round trip waits for that.
        try (Socket a = stack.open("warm-a", "phone"); Socket b = stack.open("warm-b", "phone")) {
            a.send(friend("request", "warm-b"));
            b.await("friend", "change", "requested", Duration.ofSeconds(120));
        }
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
        if (push != null) {
            push.close();
        }
    }

    static String frame(String type, String data) {
        return "{\"v\":1,\"t\":\"" + type + "\",\"d\":" + data + "}";
    }

    static String friend(String type, String user) {
        return frame("friend." + type, "{\"userId\":\"" + user + "\"}");
    }

    static JsonNode friends(Socket socket, String requestId) throws Exception {
        socket.send(frame("sync", "{\"requestId\":\"" + requestId + "\",\"kind\":\"friends\"}"));
        return socket.await("sync", "requestId", requestId).path("d").path("friends");
    }

    static void befriend(Socket a, String aUser, Socket b, String bUser) throws Exception {
        a.send(friend("request", bUser));
        b.await("friend", "change", "requested");
        b.send(friend("accept", aUser));
        a.await("friend", "change", "accepted");
        b.await("friend", "change", "accepted");
    }

    @Test
    void aStrangerIsInvitedToAGroupAndJoinsByTakingItUpOrDeclines() throws Exception {
        try (Socket gil = stack.open("gil", "phone"); Socket ida = stack.open("ida", "phone");
             Socket jon = stack.open("jon", "phone")) {
            befriend(gil, "gil", ida, "ida");
            gil.send(frame("group.create", "{\"groupId\":\"club\",\"name\":\"Club\",\"members\":[\"ida\",\"jon\",\"kai\"]}"));
            JsonNode created = ida.await("group", "groupId", "club");
            assertThat(created.path("d").path("members")).extracting(m -> m.path("userId").asText())
                    .as("friends are added, strangers invited").containsExactly("gil", "ida");
            JsonNode invitation = jon.await("invitation", "change", "invited");
            assertThat(invitation.path("d").path("groupId").asText()).isEqualTo("club");
            assertThat(invitation.path("d").path("actor").asText()).isEqualTo("gil");
            assertThat(invitation.path("d").path("name").asText()).isEqualTo("Club");

            // kai was offline: the invitation waits for him in sync.
            try (Socket kai = stack.open("kai", "phone")) {
                kai.send(frame("sync", "{\"requestId\":\"inv\",\"kind\":\"invitations\"}"));
                assertThat(kai.await("sync", "requestId", "inv").path("d").path("invitations"))
                        .extracting(i -> i.path("groupId").asText() + " from " + i.path("actor").asText())
                        .containsExactly("club from gil");
                kai.send(frame("group.leave", "{\"groupId\":\"club\"}"));
                kai.await("invitation", "change", "declined");
                kai.send(frame("sync", "{\"requestId\":\"inv2\",\"kind\":\"invitations\"}"));
                assertThat(kai.await("sync", "requestId", "inv2").path("d").path("invitations")).as("declined").isEmpty();
            }

            jon.send(frame("group.join", "{\"groupId\":\"club\"}"));
            JsonNode joined = gil.await("group", "change", "joined");
            assertThat(joined.path("d").path("members").get(0).path("userId").asText()).isEqualTo("jon");
            jon.send(FullStack.send("g:club", "j1", "thanks for having me"));
            assertThat(ida.await("msg", "clientMsgId", "j1").path("d").path("content").asText())
                    .isEqualTo("thanks for having me");
        }
    }

    @Test
    void requestAcceptThenMessageWithEveryDeviceTold() throws Exception {
        try (Socket annPhone = stack.open("ann", "phone"); Socket annLaptop = stack.open("ann", "laptop");
             Socket ben = stack.open("ben", "phone")) {
            annPhone.send(FullStack.send("d:ann:ben", "early", "before we are friends"));
            assertThat(annPhone.await("error").path("d").path("code").asText()).isEqualTo("not-friends");

            annPhone.send(frame("friend.request", "{\"userId\":\"ben\",\"message\":\"it's Ann from the climbing gym\"}"));
            JsonNode asked = ben.await("friend", "change", "requested").path("d");
            assertThat(asked.path("userId").asText()).isEqualTo("ann");
            assertThat(asked.path("message").asText()).isEqualTo("it's Ann from the climbing gym");
            assertThat(annLaptop.await("friend", "change", "requested").path("d").path("userId").asText()).isEqualTo("ben");

            JsonNode bensList = friends(ben, "f1");
            assertThat(bensList).hasSize(1);
            assertThat(bensList.get(0).path("userId").asText()).isEqualTo("ann");
            assertThat(bensList.get(0).path("relation").asText()).isEqualTo("incoming");

            ben.send(friend("accept", "ann"));
            for (Socket device : List.of(annPhone, annLaptop)) {
                assertThat(device.await("friend", "change", "accepted").path("d").path("actor").asText()).isEqualTo("ben");
            }
            annPhone.send(FullStack.send("d:ann:ben", "hello", "hi ben"));
            assertThat(ben.await("msg").path("d").path("content").asText()).isEqualTo("hi ben");
            assertThat(annPhone.await("ack").path("d").path("serverSeq").asLong()).isEqualTo(1);
            JsonNode annsList = friends(annLaptop, "f2");
            assertThat(annsList.get(0).path("relation").asText()).isEqualTo("friend");

            // A repeated request between friends is refused plainly; removing ends the chat.
            annPhone.send(friend("request", "ben"));
            assertThat(annPhone.await("error", "code", "ALREADY_FRIENDS").path("d").path("userId").asText()).isEqualTo("ben");
            ben.send(friend("remove", "ann"));
            annLaptop.await("friend", "change", "removed");
            annPhone.send(FullStack.send("d:ann:ben", "after", "still there?"));
            assertThat(annPhone.await("error", "code", "not-friends").path("d").path("clientMsgId").asText()).isEqualTo("after");
        }
    }

    @Test
    void aBlockStopsMessagesAndRequestsWithoutTellingTheBlockedSide() throws Exception {
        try (Socket cal = stack.open("cal", "phone"); Socket dee = stack.open("dee", "phone")) {
            befriend(cal, "cal", dee, "dee");
            dee.send(friend("block", "cal"));
            assertThat(dee.await("friend", "change", "blocked").path("d").path("userId").asText()).isEqualTo("cal");
            JsonNode told = cal.await("friend", "change", "removed").path("d");
            assertThat(told.path("userId").asText()).as("cal only sees the friendship end").isEqualTo("dee");

            cal.send(FullStack.send("d:cal:dee", "c1", "why?"));
            assertThat(cal.await("error", "code", "not-friends").path("d").path("clientMsgId").asText()).isEqualTo("c1");
            cal.send(frame("friend.request", "{\"userId\":\"dee\",\"message\":\"please\"}"));
            assertThat(cal.await("friend", "change", "requested").path("d").path("userId").asText())
                    .as("the request looks sent").isEqualTo("dee");
            assertThat(dee.drain(Duration.ofMillis(1500), "friend", "msg")).as("dee hears nothing").isEmpty();
            assertThat(friends(cal, "c-list").get(0).path("relation").asText()).isEqualTo("outgoing");
            JsonNode deesList = friends(dee, "d-list");
            assertThat(deesList).hasSize(1);
            assertThat(deesList.get(0).path("relation").asText()).isEqualTo("blocked");

            dee.send(FullStack.send("d:cal:dee", "d1", "blocked you"));
            assertThat(dee.await("error", "code", "blocked").path("d").path("clientMsgId").asText()).isEqualTo("d1");
            dee.send(friend("request", "cal"));
            assertThat(dee.await("error", "code", "BLOCKED").path("d").path("reason").asText()).contains("unblock");

            // Once dee unblocks, a new request from cal really arrives.
            dee.send(friend("unblock", "cal"));
            dee.await("friend", "change", "unblocked");
            cal.send(friend("request", "dee"));
            assertThat(dee.await("friend", "change", "requested").path("d").path("userId").asText()).isEqualTo("cal");
        }
    }

    @Test
    void presenceReachesFriendsAndWatchersOnlyAndFlappingIsDebounced() throws Exception {
        try (Socket fay = stack.open("fay", "phone"); Socket gus = stack.open("gus", "phone");
             Socket hal = stack.open("hal", "phone")) {
            try (Socket eli = stack.open("eli", "phone")) {
                befriend(eli, "eli", fay, "fay");
                hal.send(frame("presence.watch", "{\"add\":[\"eli\"]}"));
                assertThat(hal.await("presence", "userId", "eli").path("d").path("state").asText())
                        .as("a new watcher gets the current state").isEqualTo("online");

                eli.send(frame("presence.set", "{\"state\":\"away\"}"));
                assertThat(fay.await("presence", "state", "away").path("d").path("userId").asText()).isEqualTo("eli");
                assertThat(hal.await("presence", "state", "away").path("d").path("userId").asText()).isEqualTo("eli");
                eli.send(frame("presence.set", "{\"state\":\"online\"}"));
                fay.await("presence", "state", "online");
            }
            assertThat(fay.await("presence", "state", "offline").path("d").path("userId").asText()).isEqualTo("eli");
            hal.await("presence", "state", "offline");

            // Ten quick reconnects end online: watchers hear of it a few times at most, not twenty.
            for (int i = 0; i < 10; i++) {
                try (Socket flap = stack.open("eli", "phone")) {
                    Thread.sleep(20);
                }
            }
            Socket eliBack = stack.open("eli", "phone");
            try (eliBack) {
                List<JsonNode> heard = new ArrayList<>(fay.drain(Duration.ofSeconds(4), "presence"));
                assertThat(heard).as("ten reconnects, twenty changes").hasSizeBetween(1, 3);
                assertThat(heard.get(heard.size() - 1).path("d").path("state").asText()).isEqualTo("online");
                try (Socket fayTablet = stack.open("fay", "tablet")) {
                    assertThat(fayTablet.await("presence", "userId", "eli").path("d").path("state").asText())
                            .as("a friend's new device gets the current state").isEqualTo("online");
                }
                assertThat(gus.received("presence")).as("a stranger hears nothing").isEmpty();
            }
        }
    }

    @Test
    void anOfflineDeviceGetsOneCollapsedPushPerConversationWhileTheProviderSeesRetriesAndBackoff() throws Exception {
        String token = "apns-ivy-iphone";
        try (Socket jon = stack.open("jon", "phone"); Socket kai = stack.open("kai", "phone")) {
            try (Socket ivy = stack.open("ivy", "iphone")) {
                befriend(jon, "jon", ivy, "ivy");
                befriend(kai, "kai", ivy, "ivy");
                ivy.send(frame("push.register", "{\"platform\":\"apns\",\"token\":\"" + token + "\",\"appId\":\""
                        + PushSandbox.TOPIC + "\"}"));
                ivy.send(frame("push.settings", "{}"));
                Thread.sleep(500);
            }
            // Once ivy's friends hear she is offline, her offline spell has begun.
            jon.await("presence", "state", "offline");
            push.apns().script(token, Reply.retryAfter(429, 1), Reply.of(500));
            for (int i = 0; i < 5; i++) {
                jon.send(FullStack.send("d:ivy:jon", "j" + i, "jon says " + i));
            }
            for (int i = 0; i < 3; i++) {
                kai.send(FullStack.send("d:ivy:kai", "k" + i, "kai says " + i));
            }
            jon.collect(5, "ack");
            kai.collect(3, "ack");
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (delivered(token).size() < 2 && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            Thread.sleep(1_000);
            List<Delivery> all = push.apns().deliveries().stream().filter(d -> d.token().equals(token)).toList();
            assertThat(delivered(token)).extracting(d -> d.headers().get("apns-collapse-id"))
                    .as("exactly one notification per conversation").containsExactlyInAnyOrder("d:ivy:jon", "d:ivy:kai");
            assertThat(all).extracting(Delivery::status).as("a 429 and a 500 were each retried until accepted")
                    .containsExactlyInAnyOrder(429, 500, 200, 200);
            Delivery throttled = all.stream().filter(d -> d.status() == 429).findFirst().orElseThrow();
            String conversation = throttled.headers().get("apns-collapse-id");
            Delivery retried = all.stream().filter(d -> d.receivedNanos() > throttled.receivedNanos()
                    && conversation.equals(d.headers().get("apns-collapse-id"))).findFirst().orElseThrow();
            assertThat(retried.receivedNanos() - throttled.receivedNanos()).as("Retry-After: 1 honoured")
                    .isGreaterThanOrEqualTo(1_000_000_000L);
            assertThat(all).allSatisfy(d -> assertThat(d.protocol()).isEqualTo("h2"));
        }
    }

    static List<Delivery> delivered(String token) {
        return push.apns().deliveries().stream().filter(d -> d.token().equals(token) && d.status() == 200).toList();
    }
}
