package im.parley.eventing;

import static org.assertj.core.api.Assertions.assertThat;

import im.parley.eventing.presence.PresenceRecords;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PresenceRecordsTest {

    @Test
    void onlyUnexpiredWellFormedDevicesAreLive() {
        Map<String, String> hash = Map.of(
                "phone", PresenceRecords.value("node-1", 2_000),
                "laptop", PresenceRecords.value("node-2", 999),
                "tablet", "garbage");
        assertThat(PresenceRecords.liveDevices(hash, 1_000)).containsExactly(Map.entry("phone", "node-1"));
    }
}
