package im.parley.cassandra;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import im.parley.eventing.Attempt;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.function.BinaryOperator;

public final class CassandraSessions {

    private CassandraSessions() {
    }

    /** A session without a keyspace, for migrations. */
    public static CqlSession connect(CassandraSettings settings) {
        return builder(settings).build();
    }

    /**
     * A function's session from its settings: {@code PARLEY_CASSANDRA_CONTACT_POINTS} (host:port, comma-separated;
     * the driver finds the other nodes from the first), {@code PARLEY_CASSANDRA_DATACENTER} and
     * {@code PARLEY_CASSANDRA_KEYSPACE}.
     *
     * @param property a setting by name, or the given default
     */
    public static CqlSession fromEnvironment(BinaryOperator<String> property) {
        String first = property.apply("PARLEY_CASSANDRA_CONTACT_POINTS", "127.0.0.1:9042").split(",")[0].trim();
        int colon = first.lastIndexOf(':');
        return connectToKeyspace(new CassandraSettings(first.substring(0, colon), Integer.parseInt(first.substring(colon + 1)),
                property.apply("PARLEY_CASSANDRA_DATACENTER", "datacenter1"),
                property.apply("PARLEY_CASSANDRA_KEYSPACE", "parley"), CassandraSettings.LOCAL_REPLICATION));
    }

    /** A session bound to the Parley keyspace, for the functions. */
    public static CqlSession connectToKeyspace(CassandraSettings settings) {
        return builder(settings).withKeyspace(settings.keyspace()).build();
    }

    private static com.datastax.oss.driver.api.core.CqlSessionBuilder builder(CassandraSettings settings) {
        return CqlSession.builder()
                .addContactPoint(new InetSocketAddress(settings.host(), settings.port()))
                .withLocalDatacenter(settings.localDatacenter())
                .withConfigLoader(DriverConfigLoader.programmaticBuilder()
                        // Well inside a Trigger's 10 s attempt: a slow store fails the attempt (which is retried)
                        // rather than outliving it. Schema changes get longer (CqlMigrations.DDL_TIMEOUT).
                        .withDuration(DefaultDriverOption.REQUEST_TIMEOUT, Attempt.STORE_REQUEST_LIMIT)
                        .withDuration(DefaultDriverOption.CONNECTION_INIT_QUERY_TIMEOUT, Duration.ofSeconds(10))
                        .withDuration(DefaultDriverOption.METADATA_SCHEMA_REQUEST_TIMEOUT, Duration.ofSeconds(20))
                        // Each DDL waits for the schema refresh, which the driver otherwise delays by 1 s to batch events:
                        // a keyspace's migrations took 20 s of waiting.
                        .withDuration(DefaultDriverOption.METADATA_SCHEMA_WINDOW, Duration.ofMillis(10))
                        // Locally every function runs in one JVM, each with its own session; that is no leak.
                        .withInt(DefaultDriverOption.SESSION_LEAK_THRESHOLD, 64)
                        // Functions hosted together share one session: the protocol allows 32,768 requests in flight on
                        // a connection, the driver's default is 1,024, and a large group's presence work passed it.
                        .withInt(DefaultDriverOption.CONNECTION_MAX_REQUESTS, 32_768)
                        .build());
    }
}
