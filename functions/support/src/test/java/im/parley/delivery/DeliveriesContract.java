package im.parley.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import im.parley.eventing.EventJson;
import im.parley.eventing.delivery.DeliveryBatch;
import im.parley.eventing.delivery.Frames;
import im.parley.eventing.message.DeviceRef;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** What every {@link Deliveries} does: the in-memory one for unit tests and the Redis one alike. */
abstract class DeliveriesContract {

    /** One entry as a node reads it: the devices and the frame. */
    record Entry(Set<DeviceRef> targets, JsonNode frame) {
    }

    abstract Deliveries deliveries();

    /** A device of the user connected to the node (live), as the tier records it. */
    abstract void online(DeviceRef device, String node) throws Exception;

    /** What the node has been sent, in order. */
    abstract List<Entry> delivered(String node) throws Exception;

    final String run = UUID.randomUUID().toString().substring(0, 6);

    String user(String name) {
        return name + run;
    }

    String node(String name) {
        return name + run;
    }

    static ObjectNode frame(String text) {
        return Frames.of("msg", EventJson.MAPPER.createObjectNode().put("text", text));
    }

    @Test
    void aFrameReachesEveryLiveDeviceOnceByNodeButTheOneLeftOut() throws Exception {
        DeviceRef annPhone = new DeviceRef(user("ann"), "phone");
        DeviceRef annLaptop = new DeviceRef(user("ann"), "laptop");
        DeviceRef benPhone = new DeviceRef(user("ben"), "phone");
        online(annPhone, node("n1"));
        online(annLaptop, node("n2"));
        online(benPhone, node("n2"));
        ObjectNode hello = frame("hello");
        ObjectNode ack = frame("ack");
        Set<String> offline = deliveries().toUsers(List.of(user("ann"), user("ben"), user("cy")), annPhone, hello, null,
                List.of(DeliveryBatch.of(node("n1"), List.of(annPhone), ack)));
        assertThat(offline).containsExactly(user("cy"));
        assertThat(delivered(node("n2"))).containsExactly(new Entry(Set.of(annLaptop, benPhone), hello));
        assertThat(delivered(node("n1"))).containsExactly(new Entry(Set.of(annPhone), ack));
    }

    @Test
    void addressedBatchesAloneAndManyUsersInRounds() throws Exception {
        deliveries().addressed(new DeliveryBatch(node("n3"), List.of(new DeliveryBatch.Item(List.of(new DeviceRef(user("dee"), "d")),
                frame("a")), new DeliveryBatch.Item(List.of(new DeviceRef(user("eli"), "e")), frame("b")))));
        assertThat(delivered(node("n3"))).extracting(e -> e.frame().path("d").path("text").asText()).containsExactly("a", "b");

        List<String> many = new ArrayList<>();
        for (int i = 0; i < 2_500; i++) {
            many.add(user("m" + i));
            if (i % 2 == 0) {
                online(new DeviceRef(user("m" + i), "d"), node("n4"));
            }
        }
        Set<String> offline = deliveries().toUsers(many, null, frame("all"), null, List.of());
        assertThat(offline).hasSize(1_250).contains(user("m1")).doesNotContain(user("m0"));
        Set<DeviceRef> reached = new HashSet<>();
        delivered(node("n4")).forEach(e -> reached.addAll(e.targets()));
        assertThat(reached).hasSize(1_250).contains(new DeviceRef(user("m2498"), "d"));
    }

    @Test
    void aFrameSentOnceIsNotSentAgainButItsAddressedBatchesAre() throws Exception {
        DeviceRef fay = new DeviceRef(user("fay"), "phone");
        DeviceRef gus = new DeviceRef(user("gus"), "phone");
        online(fay, node("n5"));
        String once = "msg:" + run + ":1";
        for (int attempt = 0; attempt < 2; attempt++) {
            Set<String> offline = deliveries().toUsers(List.of(user("fay"), user("hal")), gus, frame("once"), once,
                    List.of(DeliveryBatch.of(node("n6"), List.of(gus), frame("ack"))));
            // Told again on the second: a first attempt whose push request was lost is retried whole.
            assertThat(offline).as("attempt " + attempt).isEqualTo(Set.of(user("hal")));
        }
        assertThat(delivered(node("n5"))).as("sent once").hasSize(1);
        assertThat(delivered(node("n6"))).as("acked each time").hasSize(2);

        List<String> many = new ArrayList<>();
        for (int i = 0; i < 1_500; i++) {
            many.add(user("o" + i));
            online(new DeviceRef(user("o" + i), "d"), node("n7"));
        }
        deliveries().toUsers(many, null, frame("big"), "big:" + run, List.of());
        deliveries().toUsers(many, null, frame("big"), "big:" + run, List.of());
        Set<DeviceRef> reached = new HashSet<>();
        delivered(node("n7")).forEach(e -> assertThat(reached.addAll(e.targets())).as("nobody twice").isTrue());
        assertThat(reached).hasSize(1_500);
    }

    static List<Entry> entries(List<DeliveryBatch> batches) {
        return batches.stream().flatMap(b -> b.items().stream())
                .map(i -> new Entry(Set.copyOf(i.targets()), i.frame())).collect(Collectors.toList());
    }

}
