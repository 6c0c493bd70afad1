package im.parley.presence.watch;

import static org.assertj.core.api.Assertions.assertThat;

import im.parley.delivery.InMemoryDeliveries;
import im.parley.due.DueSet;
import im.parley.eventing.Actor;
import im.parley.eventing.EventTypes;
import im.parley.eventing.Events;
import im.parley.eventing.connection.ConnectionOpened;
import im.parley.eventing.delivery.DeliveryBatch;
import im.parley.eventing.message.DeviceRef;
import im.parley.eventing.presence.PresenceRecords;
import im.parley.eventing.presence.PresenceState;
import im.parley.functions.handlers.TriggerTypes;
import im.parley.redis.RedisConnections;
import im.parley.social.InMemorySocialGraph;
import im.parley.stack.RedisServer;
import im.parley.stack.junit.LocalStack;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A presence watch never crosses a block, either way: not on connect, not when a state settles. */
@LocalStack
class PresenceBlocksIT {

    static Vertx vertx;
    static Redis redis;
    static RedisPresenceBoard board;

    @BeforeAll
    static void start(RedisServer server) {
        vertx = Vertx.vertx();
        redis = Redis.createClient(vertx, server.uri());
        board = new RedisPresenceBoard(redis);
    }

    @AfterAll
    static void stop() {
        vertx.close();
    }

    final InMemoryDeliveries deliveries = new InMemoryDeliveries();

    /** A device online on node n1: in Redis for the board, and where the deliveries look. */
    void connect(String user, String device) {
        RedisConnections.await(redis.send(Request.cmd(Command.HSET).arg(PresenceRecords.key(user)).arg(device)
                .arg(PresenceRecords.value("n1", System.currentTimeMillis() + 60_000))));
        deliveries.online.put(new DeviceRef(user, device), "n1");
    }

    static Set<String> shown(List<DeliveryBatch> batches) {
        return batches.stream().flatMap(b -> b.items().stream()).map(i -> i.frame().path("d").path("userId").asText())
                .collect(Collectors.toSet());
    }

    static Set<String> told(List<DeliveryBatch> batches) {
        return batches.stream().flatMap(b -> b.items().stream()).flatMap(i -> i.targets().stream()).map(t -> t.userId())
                .collect(Collectors.toSet());
    }

    @Test
    void aBlockerIsNeitherShownToNorToldAboutTheUserTheyBlocked() {
        String id = UUID.randomUUID().toString().substring(0, 6);
        String ann = "ann" + id;
        String bob = "bob" + id;
        String cy = "cy" + id;
        String dee = "dee" + id;
        InMemorySocialGraph graph = new InMemorySocialGraph();
        graph.befriend(ann, dee);
        List<DeliveryBatch> frames = deliveries.sent;
        PresenceFunction presence = new PresenceFunction(board, new DueSet(redis, "presence-blocks-it:" + id), graph,
                deliveries, Duration.ofMillis(1), 500, Clock.systemUTC());
        assertThat(presence.handlers().types()).containsExactlyInAnyOrderElementsOf(TriggerTypes.of("presence"));
        // ann watches bob and cy; bob watches ann. Then bob blocks ann, and ann blocks cy.
        board.watch(ann, List.of(bob, cy), List.of());
        board.watch(bob, List.of(ann), List.of());
        graph.block(bob, ann);
        graph.block(ann, cy);
        for (String user : List.of(bob, cy, dee)) {
            connect(user, "phone");
            board.publish(user, new Published(PresenceState.ONLINE, System.currentTimeMillis()));
        }

        connect(ann, "phone");
        presence.handlers().apply(Events.create(EventTypes.CONNECTION_OPENED, new ConnectionOpened(null, 1),
                new Actor(ann, "phone", "n1"), URI.create("/parley/nodes/n1")));
        assertThat(shown(frames)).as("what ann sees on connect").containsExactly(dee);

        frames.clear();
        new PresenceSettler(board, graph, deliveries, Clock.systemUTC()).accept(ann);
        assertThat(told(frames)).as("who is told ann came online").containsExactly(dee);
    }
}
