package im.parley.connection.presence;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** What every {@link PresenceRegistry} does: the in-memory one for unit tests and the Redis one alike. */
abstract class PresenceRegistryContract {

    abstract PresenceRegistry nodeA();

    abstract PresenceRegistry nodeB();

    /** The user's live devices and the node of each. */
    abstract Map<String, String> live(String user) throws Exception;

    static <T> T await(CompletionStage<T> stage) throws Exception {
        return stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void aDeviceIsOnlineAtItsNodeUntilThatNodeTakesItOffline() throws Exception {
        String ann = "pr-ann-" + UUID.randomUUID().toString().substring(0, 6);
        await(nodeA().online(ann, "phone", 10));
        await(nodeA().online(ann, "laptop", 10));
        assertThat(live(ann)).containsEntry("phone", "node-a").containsEntry("laptop", "node-a");

        // The phone moved to node B before node A noticed its old socket close: A must not erase B's entry.
        await(nodeB().online(ann, "phone", 10));
        await(nodeA().offline(ann, "phone"));
        assertThat(live(ann)).containsEntry("phone", "node-b");

        await(nodeA().offline(ann, "laptop"));
        assertThat(live(ann)).containsOnlyKeys("phone");
        await(nodeB().refresh(List.of(Map.entry(ann, "tablet"))));
        assertThat(live(ann)).containsEntry("tablet", "node-b");
    }

    @Test
    void aUserHasAtMostTheCapOfLiveDevicesAndAReconnectingDeviceIsNotCountedTwice() throws Exception {
        String bo = "pr-bo-" + UUID.randomUUID().toString().substring(0, 6);
        assertThat(await(nodeA().online(bo, "d1", 2))).isTrue();
        assertThat(await(nodeB().online(bo, "d2", 2))).isTrue();
        assertThat(await(nodeA().online(bo, "d3", 2))).as("a third device").isFalse();
        assertThat(live(bo)).containsOnlyKeys("d1", "d2");
        assertThat(await(nodeB().online(bo, "d1", 2))).as("d1 reconnecting elsewhere").isTrue();
        await(nodeB().offline(bo, "d2"));
        assertThat(await(nodeA().online(bo, "d3", 2))).isTrue();
        assertThat(live(bo)).containsOnlyKeys("d1", "d3");
    }
}
