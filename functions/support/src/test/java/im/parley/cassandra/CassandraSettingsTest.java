package im.parley.cassandra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CassandraSettingsTest {

    @Test
    void replicationSettingsBecomeTheCqlMap() {
        assertThat(CassandraSettings.replication("NetworkTopologyStrategy:dc1=3, dc2=2"))
                .isEqualTo("{'class': 'NetworkTopologyStrategy', 'dc1': 3, 'dc2': 2}");
        assertThat(CassandraSettings.replication("SimpleStrategy:1")).isEqualTo(CassandraSettings.LOCAL_REPLICATION);
    }

    @Test
    void anythingElseIsRefusedWithTheExpectedForm() {
        for (String bad : new String[] {"3", "NetworkTopologyStrategy:dc1", "NetworkTopologyStrategy:dc1=0",
                "SimpleStrategy:three", "EverywhereStrategy:1", "NetworkTopologyStrategy:dc1=3'}; DROP KEYSPACE x; --=1"}) {
            assertThatThrownBy(() -> CassandraSettings.replication(bad)).as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("NetworkTopologyStrategy:<dc>=<factor>");
        }
    }
}
