package im.parley.cassandra;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import im.parley.eventing.Attempt;
import im.parley.eventing.Readiness;
import com.datastax.oss.driver.api.core.CqlSessionBuilder;
import com.datastax.oss.driver.api.core.ssl.ProgrammaticSslEngineFactory;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import java.util.function.BinaryOperator;

public final class CassandraSessions {

    private CassandraSessions() {
    }

    /** A session without a keyspace, for migrations. */
    public static CqlSession connect(CassandraSettings settings) {
        return builder(settings, CassandraCredentials.NONE).build();
    }

    /**
     * A function's session from its settings: {@code PARLEY_CASSANDRA_CONTACT_POINTS} (host:port, comma-separated;
     * the driver finds the other nodes from any of them), {@code PARLEY_CASSANDRA_DATACENTER},
     * {@code PARLEY_CASSANDRA_KEYSPACE}, and the role and CA of {@link CassandraCredentials#fromEnvironment}.
     *
     * @param property a setting by name, or the given default
     */
    public static CqlSession fromEnvironment(BinaryOperator<String> property) {
        CassandraSettings settings = settingsFromEnvironment(property);
        return builder(settings, CassandraCredentials.fromEnvironment(property)).addContactPoints(otherContactPoints(property))
                .withKeyspace(settings.keyspace()).build();
    }

    /**
     * A session without a keyspace, for the schema migrations, from the same settings as {@link #fromEnvironment}
     * (the role must be one that may create tables).
     */
    static CqlSession forMigrationsFromEnvironment(BinaryOperator<String> property) {
        return builder(settingsFromEnvironment(property), CassandraCredentials.fromEnvironment(property))
                .addContactPoints(otherContactPoints(property)).build();
    }

    /** The settings named above, and {@code PARLEY_CASSANDRA_REPLICATION} (see {@link CassandraSettings#replication}). */
    static CassandraSettings settingsFromEnvironment(BinaryOperator<String> property) {
        InetSocketAddress first = contactPoints(property.apply("PARLEY_CASSANDRA_CONTACT_POINTS", "127.0.0.1:9042")).get(0);
        String replication = property.apply("PARLEY_CASSANDRA_REPLICATION", null);
        return new CassandraSettings(first.getHostString(), first.getPort(),
                property.apply("PARLEY_CASSANDRA_DATACENTER", "datacenter1"), property.apply("PARLEY_CASSANDRA_KEYSPACE", "parley"),
                replication == null ? CassandraSettings.LOCAL_REPLICATION : CassandraSettings.replication(replication));
    }

    private static List<InetSocketAddress> otherContactPoints(BinaryOperator<String> property) {
        List<InetSocketAddress> points = contactPoints(property.apply("PARLEY_CASSANDRA_CONTACT_POINTS", "127.0.0.1:9042"));
        return points.subList(1, points.size());
    }

    /** Answers once a node the session uses returns its version: the cheapest read there is. */
    public static Readiness readiness(CqlSession session) {
        return Readiness.of("cassandra", () -> session.executeAsync("SELECT release_version FROM system.local"));
    }

    /** host:port, comma-separated; every one is tried at start, so one node down does not stop a function. */
    static List<InetSocketAddress> contactPoints(String list) {
        List<InetSocketAddress> points = new ArrayList<>();
        for (String point : list.split(",")) {
            String trimmed = point.trim();
            int colon = trimmed.lastIndexOf(':');
            if (colon < 1) {
                throw new IllegalArgumentException("PARLEY_CASSANDRA_CONTACT_POINTS: host:port, not " + trimmed);
            }
            points.add(InetSocketAddress.createUnresolved(trimmed.substring(0, colon), Integer.parseInt(trimmed.substring(colon + 1))));
        }
        return points;
    }

    /** A session bound to the keyspace, logged in as a role, over TLS. */
    public static CqlSession connectToKeyspace(CassandraSettings settings, CassandraCredentials credentials) {
        return builder(settings, credentials).withKeyspace(settings.keyspace()).build();
    }

    /** A session bound to the Parley keyspace, for the functions. */
    public static CqlSession connectToKeyspace(CassandraSettings settings) {
        return connectToKeyspace(settings, CassandraCredentials.NONE);
    }

    private static CqlSessionBuilder builder(CassandraSettings settings, CassandraCredentials credentials) {
        CqlSessionBuilder builder = CqlSession.builder();
        if (credentials.authenticates()) {
            builder.withAuthCredentials(credentials.username(), credentials.password());
        }
        SSLContext tls = credentials.tls();
        if (tls != null) {
            builder.withSslEngineFactory(new ProgrammaticSslEngineFactory(tls, null, true));
        }
        return builder
                .addContactPoint(InetSocketAddress.createUnresolved(settings.host(), settings.port()))
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
