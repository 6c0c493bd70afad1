package im.parley.cassandra;

import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.driver.api.core.CqlSession;
import im.parley.stack.CassandraServer;
import im.parley.stack.junit.LocalStack;
import java.util.Map;
import java.util.function.BinaryOperator;
import org.junit.jupiter.api.Test;

/** The production schema Job's command, from its settings, against a real Cassandra. */
@LocalStack
class SchemaMigrationIT {

    @Test
    void appliesTheMigrationsWithTheReplicationSetThroughEveryContactPointOnceOnly(CassandraServer cassandra) {
        Map<String, String> env = Map.of(
                // A node that does not answer comes first: the driver goes on to the next contact point.
                "PARLEY_CASSANDRA_CONTACT_POINTS", "127.0.0.1:1," + cassandra.host() + ":" + cassandra.port(),
                "PARLEY_CASSANDRA_DATACENTER", cassandra.localDatacenter(),
                "PARLEY_CASSANDRA_KEYSPACE", "schema_job",
                "PARLEY_CASSANDRA_REPLICATION", "NetworkTopologyStrategy:" + cassandra.localDatacenter() + "=1");
        BinaryOperator<String> property = env::getOrDefault;

        assertThat(SchemaMigration.run(property)).containsExactlyElementsOf(
                CqlMigrations.load().stream().map(CqlMigrations.Migration::version).toList());
        assertThat(SchemaMigration.run(property)).as("a second run, as when the Job is applied again").isEmpty();

        try (CqlSession session = CassandraSessions.fromEnvironment(property)) {
            Map<String, String> replication = session.getMetadata().getKeyspace("schema_job").orElseThrow().getReplication();
            assertThat(replication).containsEntry("class", "org.apache.cassandra.locator.NetworkTopologyStrategy")
                    .containsEntry(cassandra.localDatacenter(), "1");
            assertThat(session.execute("SELECT count(*) FROM schema_migrations").one().getLong(0))
                    .isEqualTo(CqlMigrations.load().size());
        }
    }
}
