package im.parley.cassandra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.datastax.oss.driver.api.core.AllNodesFailedException;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.servererrors.UnauthorizedException;
import im.parley.stack.CassandraServer;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The functions' Cassandra session as production runs it: a role with a password, over TLS, from the same
 * settings the manifests give (PARLEY_CASSANDRA_*), against a server that requires both.
 */
class CassandraCredentialsIT {

    static CassandraServer server;

    @BeforeAll
    static void start() throws Exception {
        server = CassandraServer.ephemeral().withPasswordsAndTls();
        server.start();
        CassandraCredentials superuser = new CassandraCredentials("cassandra", "cassandra",
                server.certificates().certPem().toString());
        CassandraSettings settings = new CassandraSettings(server.host(), server.port(), server.localDatacenter(),
                "secured", CassandraSettings.LOCAL_REPLICATION);
        // The default superuser is set up just after the port opens.
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            try (CqlSession admin = CassandraSessions.connectToKeyspace(
                    new CassandraSettings(server.host(), server.port(), server.localDatacenter(), "system", ""), superuser)) {
                admin.execute("CREATE KEYSPACE IF NOT EXISTS secured WITH replication = " + settings.replication());
                admin.execute("CREATE TABLE IF NOT EXISTS secured.notes (id text PRIMARY KEY, body text)");
                admin.execute("CREATE TABLE IF NOT EXISTS secured.other (id text PRIMARY KEY)");
                admin.execute("CREATE ROLE IF NOT EXISTS parley_functions WITH PASSWORD = 'fn-password' AND LOGIN = true");
                admin.execute("GRANT MODIFY ON TABLE secured.notes TO parley_functions");
                admin.execute("GRANT SELECT ON TABLE secured.notes TO parley_functions");
                // The schema Job's role, with the grants docs/security.md gives it.
                admin.execute("CREATE ROLE IF NOT EXISTS parley_schema WITH PASSWORD = 'schema-password' AND LOGIN = true");
                for (String permission : List.of("CREATE", "ALTER", "SELECT", "MODIFY")) {
                    admin.execute("GRANT " + permission + " ON ALL KEYSPACES TO parley_schema");
                }
                return;
            } catch (AllNodesFailedException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(1000);
            }
        }
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    static CqlSession functions(String password, String ca) {
        Map<String, String> env = new java.util.HashMap<>(Map.of(
                "PARLEY_CASSANDRA_CONTACT_POINTS", server.host() + ":" + server.port(),
                "PARLEY_CASSANDRA_DATACENTER", server.localDatacenter(), "PARLEY_CASSANDRA_KEYSPACE", "secured",
                "PARLEY_CASSANDRA_USERNAME", "parley_functions", "PARLEY_CASSANDRA_PASSWORD", password));
        if (ca != null) {
            env.put("PARLEY_CASSANDRA_CA_CERT", ca);
        }
        return CassandraSessions.fromEnvironment((name, fallback) -> env.getOrDefault(name, fallback));
    }

    @Test
    void theSchemaJobsRoleAppliesEveryMigrationOverTlsAndTheFunctionsRoleProbesReadiness() throws Exception {
        Map<String, String> env = Map.of(
                "PARLEY_CASSANDRA_CONTACT_POINTS", server.host() + ":" + server.port(),
                "PARLEY_CASSANDRA_DATACENTER", server.localDatacenter(), "PARLEY_CASSANDRA_KEYSPACE", "schema_secured",
                "PARLEY_CASSANDRA_REPLICATION", "NetworkTopologyStrategy:" + server.localDatacenter() + "=1",
                "PARLEY_CASSANDRA_USERNAME", "parley_schema", "PARLEY_CASSANDRA_PASSWORD", "schema-password",
                "PARLEY_CASSANDRA_CA_CERT", server.certificates().certPem().toString());
        assertThat(SchemaMigration.run(env::getOrDefault)).hasSize(CqlMigrations.load().size());
        try (CqlSession session = functions("fn-password", server.certificates().certPem().toString())) {
            assertThat(CassandraSessions.readiness(session).probe().toCompletableFuture().get(10, TimeUnit.SECONDS)).isNotNull();
        }
    }

    @Test
    void theFunctionsRoleReadsAndWritesItsTablesOverTlsAndNothingElse() {
        try (CqlSession session = functions("fn-password", server.certificates().certPem().toString())) {
            session.execute("INSERT INTO notes (id, body) VALUES ('n1', 'hello')");
            assertThat(session.execute("SELECT body FROM notes WHERE id = 'n1'").one().getString(0)).isEqualTo("hello");
            assertThatThrownBy(() -> session.execute("INSERT INTO other (id) VALUES ('x')"))
                    .isInstanceOf(UnauthorizedException.class);
        }
    }

    @Test
    void aWrongPasswordOrAnUntrustedServerOrNoTlsIsRefused() {
        String ca = server.certificates().certPem().toString();
        assertThatThrownBy(() -> functions("guess", ca)).isInstanceOf(AllNodesFailedException.class)
                .hasMessageContaining("Authentication error");
        assertThatThrownBy(() -> functions("fn-password", null)).as("plain connections are refused")
                .isInstanceOf(AllNodesFailedException.class);
        assertThat(CassandraSessions.contactPoints("a:9042, b:9043")).containsExactly(
                InetSocketAddress.createUnresolved("a", 9042), InetSocketAddress.createUnresolved("b", 9043));
    }
}
