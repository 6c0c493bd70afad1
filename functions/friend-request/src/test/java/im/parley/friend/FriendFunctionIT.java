package im.parley.friend;

import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.driver.api.core.CqlSession;
import im.parley.cassandra.MigratedKeyspace;
import im.parley.delivery.InMemoryDeliveries;
import im.parley.eventing.Actor;
import im.parley.eventing.EventTypes;
import im.parley.eventing.Events;
import im.parley.eventing.delivery.DeliveryBatch;
import im.parley.eventing.friend.FriendAction;
import im.parley.eventing.friend.FriendRequested;
import im.parley.functions.handlers.Handlers;
import im.parley.quota.RedisDailyQuota;
import im.parley.rights.RedisPostingRightsCache;
import im.parley.stack.CassandraServer;
import im.parley.stack.RedisServer;
import im.parley.stack.junit.LocalStack;
import io.cloudevents.CloudEvent;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The friend function against real Cassandra and Redis: the daily request quota. */
@LocalStack
class FriendFunctionIT {

    static CloudEvent request(String from, String to) {
        return Events.create(EventTypes.FRIEND_REQUESTED, new FriendRequested(to, "hi"), new Actor(from, "phone", "n1"),
                URI.create("/parley/nodes/n1"));
    }

    static CloudEvent cancel(String from, String to) {
        return Events.create(EventTypes.FRIEND_CANCELLED, new FriendAction(to), new Actor(from, "phone", "n1"),
                URI.create("/parley/nodes/n1"));
    }

    @Test
    void aUserSendsAtMostTheDailyQuotaOfRequestsAndCancellingDoesNotGiveOneBack(CassandraServer cassandra, RedisServer server) {
        Vertx vertx = Vertx.vertx();
        try (CqlSession session = MigratedKeyspace.open(cassandra, "friend_function")) {
            Redis redis = Redis.createClient(vertx, server.uri());
            InMemoryDeliveries deliveries = new InMemoryDeliveries();
            List<DeliveryBatch> sent = deliveries.sent;
            String run = UUID.randomUUID().toString().substring(0, 6);
            Handlers friends = new FriendFunction(new CassandraFriendships(session, Duration.ofDays(30)),
                    new FriendRules(5000), deliveries, new RedisPostingRightsCache(redis),
                    new RedisDailyQuota(redis, "friend-request-" + run, 2, Clock.systemUTC())).handlers();
            String ann = "ann" + run;
            CloudEvent first = request(ann, "ben" + run);
            friends.apply(first);
            friends.apply(first); // redelivered: not a second request
            friends.apply(cancel(ann, "ben" + run));
            friends.apply(request(ann, "ben" + run));
            assertThat(sent).as("two requests, a redelivery and a cancel: no error").isEmpty();

            friends.apply(request(ann, "cat" + run));
            assertThat(sent).singleElement().satisfies(batch -> {
                assertThat(batch.items().get(0).frame().path("t").asText()).isEqualTo("error");
                assertThat(batch.items().get(0).frame().path("d").path("code").asText()).isEqualTo("LIMIT_EXCEEDED");
                assertThat(batch.items().get(0).frame().path("d").path("reason").asText())
                        .contains("at most 2 friend requests a day");
            });
            assertThat(new CassandraFriendships(session, Duration.ofDays(30)).relation(ann, "cat" + run).outgoing())
                    .as("the refused request was not written").isEmpty();

            sent.clear();
            friends.apply(cancel(ann, "ben" + run));
            assertThat(sent).as("other steps are not counted").isEmpty();
        } finally {
            vertx.close();
        }
    }
}
