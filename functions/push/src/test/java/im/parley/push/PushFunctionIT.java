package im.parley.push;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.datastax.oss.driver.api.core.CqlSession;
import com.fasterxml.jackson.databind.JsonNode;
import im.parley.cassandra.MigratedKeyspace;
import im.parley.eventing.Actor;
import im.parley.eventing.EventJson;
import im.parley.eventing.EventTypes;
import im.parley.eventing.Events;
import im.parley.eventing.presence.PresenceRecords;
import im.parley.eventing.push.PushProvider;
import im.parley.eventing.push.PushReported;
import im.parley.eventing.push.PushReported.Outcome;
import im.parley.eventing.push.PushReported.Reason;
import im.parley.eventing.push.PushReported.Result;
import im.parley.eventing.push.PushRequested;
import im.parley.eventing.push.PushSettingsUpdated;
import im.parley.eventing.push.PushTokenRegistered;
import im.parley.functions.hosting.FunctionApplication;
import im.parley.functions.hosting.FunctionDescriptor;
import im.parley.stack.CassandraServer;
import im.parley.stack.RedisServer;
import im.parley.stack.junit.LocalStack;
import im.parley.stack.push.Delivery;
import im.parley.stack.push.PushSandbox;
import im.parley.stack.push.Reply;
import io.cloudevents.CloudEvent;
import java.net.URI;
import java.nio.file.Files;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The push function as deployed (its Spring configuration), against real Redis and Cassandra and the APNs (HTTP/2,
 * TLS) and FCM (OAuth2) stand-ins, which answer success, 410/404, 429 and 5xx as scripted.
 */
@LocalStack
class PushFunctionIT {

    static PushSandbox sandbox;
    static FunctionApplication push;
    static CqlSession cql;
    static RedisServer redis;

    @BeforeAll
    static void start(RedisServer redisServer, CassandraServer cassandra) throws Exception {
        redis = redisServer;
        cql = MigratedKeyspace.open(cassandra, "push_function");
        sandbox = PushSandbox.start(Files.createTempDirectory("push-sandbox"));
        Map<String, Object> env = new HashMap<>(sandbox.environment());
        env.putAll(Map.of("PARLEY_REDIS_URI", redis.uri(),
                "PARLEY_CASSANDRA_CONTACT_POINTS", cassandra.host() + ":" + cassandra.port(),
                "PARLEY_CASSANDRA_DATACENTER", cassandra.localDatacenter(),
                "PARLEY_CASSANDRA_KEYSPACE", "push_function",
                "PARLEY_PUSH_BACKOFF", "PT0.1S",
                "PARLEY_PUSH_RATE_PER_MINUTE", "3"));
        FunctionDescriptor descriptor = FunctionDescriptor.discover(PushFunctionIT.class.getClassLoader()).stream()
                .filter(d -> d.service().equals("push")).findFirst().orElseThrow();
        push = FunctionApplication.start(descriptor, env);
    }

    @AfterAll
    static void stop() {
        if (push != null) {
            push.close();
        }
        if (sandbox != null) {
            sandbox.close();
        }
        if (cql != null) {
            cql.close();
        }
    }

    static void register(String user, String device, PushProvider provider, String token) {
        assertThat(push.apply(Events.create(EventTypes.PUSH_TOKEN_REGISTERED,
                new PushTokenRegistered(provider, token, provider == PushProvider.APNS ? PushSandbox.TOPIC : null),
                new Actor(user, device, "n1"), URI.create("/parley/nodes/n1")))).isNull();
    }

    static PushReported request(String conversation, long seq, String sender, String preview, String... users) {
        CloudEvent reply = push.apply(Events.create(EventTypes.PUSH_REQUESTED,
                new PushRequested(conversation, seq, sender, preview, List.of(users)), null, URI.create("/parley/functions/fanout")));
        return reply == null ? null : Events.data(EventTypes.PUSH_REPORTED, reply);
    }

    static List<Delivery> to(List<Delivery> all, String token) {
        return all.stream().filter(d -> d.token().equals(token)).toList();
    }

    @Test
    void aMessageRecalledBeforeItsRequestIsHandledNotifiesNoOne() {
        register("uma", "iphone", PushProvider.APNS, "apns-uma-1");
        cql.execute("INSERT INTO messages (conversation_id, bucket, server_seq, client_msg_id, sender_user, sender_device,"
                + " content_type, content, sent_at, recalled) VALUES ('d:sam:uma', 0, 4, 'c4', 'sam', 'phone', 'text', '',"
                + " toTimestamp(now()), true)");
        PushReported report = request("d:sam:uma", 4, "sam", "oops, wrong chat", "uma");
        assertThat(report.outcomes()).extracting(Outcome::userId, Outcome::result, Outcome::reason)
                .containsExactly(tuple("uma", Result.SUPPRESSED, Reason.RECALLED));
        assertThat(to(sandbox.apns().deliveries(), "apns-uma-1")).isEmpty();
        // The conversation's next message notifies as the first of the spell: nothing was claimed for the recalled one.
        assertThat(request("d:sam:uma", 5, "sam", "hi", "uma").outcomes()).extracting(Outcome::result)
                .containsExactly(Result.SENT);
    }

    @Test
    void oneNotificationPerConversationWhileOfflineWithRetriesAndBackoffSeenByTheProvider() throws Exception {
        register("olga", "iphone", PushProvider.APNS, "apns-olga-1");
        register("olga", "pixel", PushProvider.FCM, "fcm-olga-1");
        sandbox.apns().script("apns-olga-1", Reply.retryAfter(429, 1), Reply.of(503));
        sandbox.fcm().script("fcm-olga-1", Reply.of(500));

        PushReported first = request("d:olga:pete", 1, "pete", "are you there?", "olga");
        assertThat(first.outcomes()).extracting(Outcome::deviceId, Outcome::result, Outcome::attempts, Outcome::count)
                .containsExactlyInAnyOrder(tuple("iphone", Result.SENT, 3, 1),
                        tuple("pixel", Result.SENT, 2, 1));
        for (long seq = 2; seq <= 5; seq++) {
            PushReported later = request("d:olga:pete", seq, "pete", "hello " + seq, "olga");
            assertThat(later.outcomes()).singleElement().satisfies(o -> {
                assertThat(o.result()).isEqualTo(Result.COLLAPSED);
                assertThat(o.deviceId()).isNull();
            });
        }
        assertThat(request("d:olga:pete", 3, "pete", "hello 3", "olga")).as("a redelivered message is dropped").isNull();
        request("g:crew", 7, "pete", "crew news", "olga");

        List<Delivery> apns = to(sandbox.apns().deliveries(), "apns-olga-1");
        assertThat(apns).extracting(Delivery::status).containsExactly(429, 503, 200, 200);
        assertThat(apns).allSatisfy(d -> {
            assertThat(d.protocol()).isEqualTo("h2");
            assertThat(d.headers()).containsEntry("apns-topic", PushSandbox.TOPIC).containsEntry("apns-push-type", "alert");
        });
        assertThat(apns.get(1).receivedNanos() - apns.get(0).receivedNanos()).as("Retry-After: 1 was honoured")
                .isGreaterThanOrEqualTo(1_000_000_000L);
        assertThat(apns.subList(2, 4)).extracting(d -> d.headers().get("apns-collapse-id")).containsExactly("d:olga:pete", "g:crew");
        JsonNode payload = EventJson.MAPPER.readTree(apns.get(2).body());
        assertThat(payload.path("aps").path("alert").path("body").asText()).isEqualTo("are you there?");
        assertThat(payload.path("count").asInt()).isEqualTo(1);
        List<Delivery> fcm = to(sandbox.fcm().deliveries(), "fcm-olga-1");
        assertThat(fcm).extracting(Delivery::status).containsExactly(500, 200, 200);
        assertThat(sandbox.fcm().tokenGrants()).as("the access token is reused").isEqualTo(1);

        // Olga comes online and goes again: a new offline spell, so the next message notifies with the count so far.
        assertThat(redis.command("HSET " + PresenceRecords.publishedKey("olga") + " state offline since "
                + System.currentTimeMillis())).startsWith(":");
        PushReported again = request("d:olga:pete", 6, "pete", "back?", "olga");
        assertThat(again.outcomes()).extracting(Outcome::result).containsOnly(Result.SENT);
        assertThat(again.outcomes()).extracting(Outcome::count).containsOnly(1);

        // A revoked access token: FCM answers 401, the gateway fetches a new one and the retry goes through.
        register("rita", "pixel", PushProvider.FCM, "fcm-rita-1");
        sandbox.fcm().revokeAccessTokens();
        PushReported reauthorised = request("d:pete:rita", 1, "pete", "still there?", "rita");
        assertThat(reauthorised.outcomes()).extracting(Outcome::result, Outcome::status, Outcome::attempts)
                .containsExactly(tuple(Result.SENT, 200, 2));
        assertThat(sandbox.fcm().tokenGrants()).isEqualTo(2);
    }

    @Test
    void deadTokensAreDroppedAndDevicesWithoutTokensAreReported() {
        register("quin", "iphone", PushProvider.APNS, "apns-quin-dead");
        register("quin", "pixel", PushProvider.FCM, "fcm-quin-dead");
        sandbox.apns().script("apns-quin-dead", Reply.of(410));
        sandbox.fcm().script("fcm-quin-dead", Reply.of(404));
        PushReported report = request("d:pete:quin", 1, "pete", "hi", "quin", "rosa");
        assertThat(report.outcomes()).filteredOn(o -> o.userId().equals("quin"))
                .extracting(Outcome::result, Outcome::reason, Outcome::attempts)
                .containsOnly(tuple(Result.FAILED, Reason.TOKEN_INVALID, 1));
        assertThat(report.outcomes()).filteredOn(o -> o.userId().equals("rosa"))
                .extracting(Outcome::result, Outcome::reason).containsExactly(tuple(Result.SUPPRESSED, Reason.NO_DEVICE));
        assertThat(cql.execute("SELECT device_id FROM push_tokens WHERE user_id = 'quin'").all()).isEmpty();
        assertThat(cql.execute("SELECT user_id FROM push_token_owners WHERE push_token = 'apns-quin-dead'").one()).isNull();
    }

    @Test
    void aTokenMovesToItsNewHolder() {
        register("sara", "shared-tablet", PushProvider.FCM, "fcm-shared");
        register("tom", "tablet", PushProvider.FCM, "fcm-shared");
        assertThat(cql.execute("SELECT device_id FROM push_tokens WHERE user_id = 'sara'").all()).isEmpty();
        assertThat(cql.execute("SELECT push_token FROM push_tokens WHERE user_id = 'tom'").one().getString(0)).isEqualTo("fcm-shared");
    }

    @Test
    void quietHoursAndTheRateLimitHoldNotificationsBackAndTheNextOneCarriesTheCount() {
        register("uma", "iphone", PushProvider.APNS, "apns-uma");
        LocalTime now = LocalTime.now(ZoneOffset.UTC);
        push.apply(Events.create(EventTypes.PUSH_SETTINGS_UPDATED, new PushSettingsUpdated(new PushSettingsUpdated.QuietHours(
                        now.minusHours(1).toString().substring(0, 5), now.plusHours(1).toString().substring(0, 5), "UTC")),
                new Actor("uma", "iphone", "n1"), URI.create("/parley/nodes/n1")));
        assertThat(request("d:pete:uma", 1, "pete", "psst", "uma").outcomes())
                .extracting(Outcome::result, Outcome::reason).containsExactly(tuple(Result.SUPPRESSED, Reason.QUIET_HOURS));
        push.apply(Events.create(EventTypes.PUSH_SETTINGS_UPDATED, new PushSettingsUpdated(null),
                new Actor("uma", "iphone", "n1"), URI.create("/parley/nodes/n1")));
        assertThat(request("d:pete:uma", 2, "pete", "now?", "uma").outcomes())
                .extracting(Outcome::result, Outcome::count).containsExactly(tuple(Result.SENT, 2));
        assertThat(to(sandbox.apns().deliveries(), "apns-uma")).hasSize(1);

        register("vic", "iphone", PushProvider.APNS, "apns-vic");
        for (int c = 1; c <= 3; c++) {
            assertThat(request("d:pete:vic" + c, 1, "pete", "hi", "vic").outcomes()).extracting(Outcome::result).containsExactly(Result.SENT);
        }
        assertThat(request("d:pete:vic4", 1, "pete", "hi", "vic").outcomes())
                .extracting(Outcome::reason).containsExactly(Reason.RATE_LIMITED);
    }
}
