package im.parley.presence;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import im.parley.eventing.EventJson;
import im.parley.eventing.EventTypes;
import im.parley.eventing.Events;
import im.parley.eventing.delivery.DeliveryBatch;
import im.parley.eventing.delivery.DeliveryChannel;
import im.parley.eventing.message.DeviceRef;
import im.parley.eventing.presence.PresenceRecords;
import im.parley.redis.DeliveryStreams;
import im.parley.redis.RedisConnections;
import im.parley.stack.RedisServer;
import im.parley.stack.junit.LocalStack;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Presence reads and delivery-stream writes against a real Redis, in the formats the connection tier uses. */
@LocalStack
class RedisPresenceIT {

    static Vertx vertx;
    static Redis redis;

    @BeforeAll
    static void start(RedisServer server) {
        vertx = Vertx.vertx();
        redis = Redis.createClient(vertx, server.uri());
    }

    @AfterAll
    static void stop() {
        vertx.close();
    }

    static Response send(Request request) {
        return RedisConnections.await(redis.send(request));
    }

    @Test
    void presenceSkipsExpiredDevicesAndUsersWithoutAny() {
        long now = System.currentTimeMillis();
        send(Request.cmd(Command.HSET).arg(PresenceRecords.key("pat")).arg("phone").arg(PresenceRecords.value("n1", now + 60_000))
                .arg("old").arg(PresenceRecords.value("n9", now - 1)));
        send(Request.cmd(Command.HSET).arg(PresenceRecords.key("quinn")).arg("laptop").arg(PresenceRecords.value("n2", now + 60_000)));
        Map<DeviceRef, String> online = new RedisPresence(redis).online(List.of("pat", "quinn", "nobody"));
        assertThat(online).containsOnly(Map.entry(new DeviceRef("pat", "phone"), "n1"),
                Map.entry(new DeviceRef("quinn", "laptop"), "n2"));
    }

    @Test
    void aTenThousandMemberGroupIsReadInBatchesTheClientQueueTakes() {
        long expires = System.currentTimeMillis() + 60_000;
        List<Request> writes = new java.util.ArrayList<>();
        List<String> users = new java.util.ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            users.add("big" + i);
            if (i % 3 == 0) {
                writes.add(Request.cmd(Command.HSET).arg(PresenceRecords.key("big" + i)).arg("d").arg(PresenceRecords.value("n1", expires)));
            }
        }
        for (int from = 0; from < writes.size(); from += 1_000) {
            RedisConnections.await(redis.batch(writes.subList(from, Math.min(writes.size(), from + 1_000))));
        }
        Map<DeviceRef, String> online = new RedisPresence(redis).online(users);
        assertThat(online).hasSize(3_334).containsEntry(new DeviceRef("big9999", "d"), "n1")
                .doesNotContainKey(new DeviceRef("big1", "d"));
    }

    @Test
    void eachFrameOfABatchIsOneEntryOnTheNodesOwnStreamEncodedOnce() throws Exception {
        ObjectNode msg = (ObjectNode) EventJson.MAPPER.readTree("{\"v\":1,\"t\":\"msg\",\"d\":{\"text\":\"x\"}}");
        ObjectNode ack = (ObjectNode) EventJson.MAPPER.readTree("{\"v\":1,\"t\":\"ack\",\"d\":{\"serverSeq\":3}}");
        DeliveryBatch batch = new DeliveryBatch("node-x", List.of(
                new DeliveryBatch.Item(List.of(new DeviceRef("pat", "phone"), new DeviceRef("sam", "tablet")), msg),
                new DeliveryBatch.Item(List.of(new DeviceRef("al", "web")), ack)));
        new DeliveryStreams(redis).send(batch);
        Response entries = send(Request.cmd(Command.XRANGE).arg(DeliveryChannel.streamKey("node-x")).arg("-").arg("+"));
        assertThat(entries.size()).isEqualTo(2);
        List<DeliveryChannel.Entry> read = new java.util.ArrayList<>();
        for (Response entry : entries) {
            Response fields = entry.get(1);
            assertThat(fields.get(0).toString()).isEqualTo(DeliveryChannel.TARGETS);
            assertThat(fields.get(2).toString()).isEqualTo(DeliveryChannel.FRAME);
            read.add(DeliveryChannel.Entry.decode(fields.get(1).toString(), fields.get(3).toBytes()));
        }
        assertThat(read.get(0).targets()).containsExactly(new DeviceRef("pat", "phone"), new DeviceRef("sam", "tablet"));
        assertThat(EventJson.MAPPER.readTree(read.get(0).frame())).isEqualTo(msg);
        assertThat(read.get(1).targets()).containsExactly(new DeviceRef("al", "web"));
        assertThat(EventJson.MAPPER.readTree(read.get(1).frame())).isEqualTo(ack);
        assertThat(send(Request.cmd(Command.EXISTS).arg(DeliveryChannel.streamKey("node-y"))).toInteger()).isZero();
    }
}
