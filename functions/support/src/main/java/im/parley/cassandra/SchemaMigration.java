package im.parley.cassandra;

import com.datastax.oss.driver.api.core.AllNodesFailedException;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.metadata.schema.KeyspaceMetadata;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BinaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the CQL migrations to the cluster the {@code PARLEY_CASSANDRA_*} settings name, then exits: what the
 * production schema Job runs (manifests/base/cassandra/schema-job.yaml) before the functions use the keyspace.
 * It waits for Cassandra to answer (up to {@code PARLEY_SCHEMA_WAIT}, 5 minutes by default), since the Job may
 * start with the cluster.
 */
public final class SchemaMigration {

    private static final Logger LOG = LoggerFactory.getLogger(SchemaMigration.class);

    private SchemaMigration() {
    }

    public static void main(String[] args) {
        Map<String, String> env = System.getenv();
        try {
            List<Integer> applied = run(env::getOrDefault);
            LOG.info("schema up to date; applied {}", applied.isEmpty() ? "nothing new" : "V" + applied);
        } catch (RuntimeException e) {
            LOG.error("schema migration failed: {}", e.getMessage(), e);
            System.exit(1);
        }
        System.exit(0);
    }

    /** Returns the versions it applied. */
    static List<Integer> run(BinaryOperator<String> property) {
        CassandraSettings settings = CassandraSessions.settingsFromEnvironment(property);
        long deadline = System.nanoTime() + Duration.parse(property.apply("PARLEY_SCHEMA_WAIT", "PT5M")).toNanos();
        while (true) {
            try (CqlSession session = CassandraSessions.forMigrationsFromEnvironment(property)) {
                reportReplication(session, settings);
                return CqlMigrations.apply(session, settings);
            } catch (AllNodesFailedException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                LOG.info("Cassandra does not answer yet ({}); trying again in 5 s", e.getMessage());
                sleep(Duration.ofSeconds(5));
            }
        }
    }

    /** An existing keyspace keeps its replication: changing it takes an ALTER KEYSPACE and a repair, by hand. */
    private static void reportReplication(CqlSession session, CassandraSettings settings) {
        session.getMetadata().getKeyspace(settings.keyspace()).map(KeyspaceMetadata::getReplication).ifPresent(actual ->
                LOG.info("keyspace {} exists, replicated as {} (the setting asks {}; an existing keyspace keeps its "
                        + "replication: change it with ALTER KEYSPACE, then repair)", settings.keyspace(), actual,
                        settings.replication()));
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for Cassandra", e);
        }
    }
}
