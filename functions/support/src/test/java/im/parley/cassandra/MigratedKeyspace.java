package im.parley.cassandra;

import com.datastax.oss.driver.api.core.CqlSession;
import im.parley.stack.CassandraServer;

/** A keyspace of a test's own on the shared test Cassandra, with every migration applied as the schema Job does. */
public final class MigratedKeyspace {

    private MigratedKeyspace() {
    }

    /** Creates and migrates the keyspace if needed; returns a session bound to it, which the caller closes. */
    public static CqlSession open(CassandraServer server, String keyspace) {
        CassandraSettings settings = new CassandraSettings(server.host(), server.port(), server.localDatacenter(),
                keyspace, CassandraSettings.LOCAL_REPLICATION);
        try (CqlSession admin = CassandraSessions.connect(settings)) {
            CqlMigrations.apply(admin, settings);
        }
        return CassandraSessions.connectToKeyspace(settings);
    }
}
