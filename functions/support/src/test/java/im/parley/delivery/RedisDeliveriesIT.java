package im.parley.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import im.parley.eventing.EventJson;
import im.parley.eventing.delivery.DeliveryBatch;
import im.parley.eventing.delivery.DeliveryChannel;
import im.parley.eventing.message.DeviceRef;
import im.parley.eventing.presence.PresenceRecords;
import im.parley.stack.RedisServer;
import im.parley.stack.junit.LocalStack;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The deliveries' contract against a real Redis, with presence as the tier writes it. */
@LocalStack
class RedisDeliveriesIT extends DeliveriesContract {

    static Vertx vertx;
    static Redis redis;
    static RedisDeliveries deliveries;

    @BeforeAll
    static void start(RedisServer server) {
        vertx = Vertx.vertx();
        redis = Redis.createClient(vertx, server.uri());
        deliveries = new RedisDeliveries(redis);
    }

    @AfterAll
    static void stop() {
        vertx.close();
    }

    static Response send(Request request) throws Exception {
        return redis.send(request).toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    @Override
    Deliveries deliveries() {
        return deliveries;
    }

    @Override
    void online(DeviceRef device, String node) throws Exception {
        send(Request.cmd(Command.HSET).arg(PresenceRecords.key(device.userId())).arg(device.deviceId())
                .arg(PresenceRecords.value(node, System.currentTimeMillis() + 60_000)));
    }

    @Override
    List<Entry> delivered(String node) throws Exception {
        List<Entry> entries = new ArrayList<>();
        for (Response entry : send(Request.cmd(Command.XRANGE).arg(DeliveryChannel.streamKey(node)).arg("-").arg("+"))) {
            Response fields = entry.get(1);
            assertThat(fields.get(0).toString()).isEqualTo(DeliveryChannel.TARGETS);
            assertThat(fields.get(2).toString()).isEqualTo(DeliveryChannel.FRAME);
            entries.add(new Entry(new HashSet<>(DeliveryChannel.Entry.decodeTargets(fields.get(1).toString())),
                    EventJson.MAPPER.readTree(fields.get(3).toBytes())));
        }
        return entries;
    }

    @Test
    void aFrameWhoseWriteFailedHalfWayIsSentWholeByTheNextCall() throws Exception {
        DeviceRef ivy = new DeviceRef(user("ivy"), "phone");
        DeviceRef jo = new DeviceRef(user("jo"), "phone");
        online(ivy, node("n10"));
        online(jo, node("n11"));
        send(Request.cmd(Command.SET).arg(DeliveryChannel.streamKey(node("n11"))).arg("not a stream"));
        String once = "msg:" + run + ":half";
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> deliveries.toUsers(List.of(user("ivy"), user("jo")), null,
                frame("half"), once, List.of())).hasMessageContaining("WRONGTYPE");
        send(Request.cmd(Command.DEL).arg(DeliveryChannel.streamKey(node("n11"))));
        deliveries.toUsers(List.of(user("ivy"), user("jo")), null, frame("half"), once, List.of());
        assertThat(delivered(node("n11"))).as("the node that failed gets it").hasSize(1);
        assertThat(delivered(node("n10")).size()).as("the other maybe twice, which clients drop by seq").isBetween(1, 2);
    }

    @Test
    void aLapsedDeviceIsNotLiveAndTheScriptSurvivesAFlushOfRedisScripts() throws Exception {
        send(Request.cmd(Command.HSET).arg(PresenceRecords.key(user("gone"))).arg("phone")
                .arg(PresenceRecords.value(node("n9"), System.currentTimeMillis() - 1)));
        send(Request.cmd(Command.SCRIPT).arg("FLUSH"));
        assertThat(deliveries.toUsers(List.of(user("gone")), null, frame("x"), null, List.of())).containsExactly(user("gone"));
        assertThat(delivered(node("n9"))).isEmpty();
    }

    /** Several frames in one round trip reach the same devices, in order, as the same frames sent one by one. */
    @Test
    void severalFramesAtOnceAsIfSentOneByOne() throws Exception {
        DeviceRef kim = new DeviceRef(user("kim"), "phone");
        DeviceRef lou = new DeviceRef(user("lou"), "phone");
        DeviceRef max = new DeviceRef(user("max"), "phone");
        online(kim, node("n12"));
        online(lou, node("n13"));
        online(max, node("n13"));
        String once = "msg:" + run + ":all";
        for (int attempt = 0; attempt < 2; attempt++) {
            List<Set<String>> offline = deliveries.toUsersAll(List.of(
                    new RedisDeliveries.ToUsers(List.of(user("kim"), user("lou")), kim, frame("one"), once,
                            List.of(DeliveryBatch.of(node("n12"), List.of(kim), frame("ack one")))),
                    new RedisDeliveries.ToUsers(List.of(user("max"), user("ned")), null, frame("two"), null, List.of())));
            assertThat(offline).as("attempt " + attempt).containsExactly(Set.of(), Set.of(user("ned")));
        }
        assertThat(delivered(node("n12"))).containsExactly(new Entry(Set.of(kim), frame("ack one")),
                new Entry(Set.of(kim), frame("ack one")));
        assertThat(delivered(node("n13"))).as("'one' once, 'two' each time").containsExactly(
                new Entry(Set.of(lou), frame("one")), new Entry(Set.of(max), frame("two")), new Entry(Set.of(max), frame("two")));
        List<String> many = new ArrayList<>();
        for (int i = 0; i <= RedisDeliveries.ROUND; i++) {
            many.add(user("p" + i));
        }
        assertThatThrownBy(() -> deliveries.toUsersAll(List.of(
                        new RedisDeliveries.ToUsers(many, null, frame("big"), null, List.of()))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("deliver it alone");
    }
}
