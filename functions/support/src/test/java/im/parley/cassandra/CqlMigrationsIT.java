package im.parley.cassandra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.datastax.oss.driver.api.core.CqlSession;
import im.parley.stack.CassandraServer;
import im.parley.stack.junit.LocalStack;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

@LocalStack
class CqlMigrationsIT {

    @Test
    void appliesEveryMigrationOnceAndASecondRunIsHarmless(CassandraServer cassandra) {
        CassandraSettings settings = new CassandraSettings(cassandra.host(), cassandra.port(),
                cassandra.localDatacenter(), "migrations_once", CassandraSettings.LOCAL_REPLICATION);
        try (CqlSession session = CassandraSessions.connect(settings)) {
            // Every migration there is (CqlMigrationsTest pins their versions), in order.
            assertThat(CqlMigrations.apply(session, settings))
                    .containsExactlyElementsOf(CqlMigrations.load().stream().map(CqlMigrations.Migration::version).toList());
            assertThat(CqlMigrations.apply(session, settings)).isEmpty();

            var tables = session.getMetadata().getKeyspace("migrations_once").orElseThrow().getTables().keySet();
            assertThat(tables).extracting(Object::toString).contains("messages", "conversation_seq", "message_ids",
                    "read_state", "user_conversations", "conversation_state", "groups", "group_members", "group_changes", "friends", "blocks",
                    "push_tokens", "push_settings", "push_token_owners");
        }
        try (CqlSession session = CassandraSessions.connectToKeyspace(settings)) {
            session.execute("INSERT INTO messages (conversation_id, bucket, server_seq, content) VALUES ('d:a:b', 0, 1, 'hi')");
            assertThat(session.execute("SELECT content FROM messages WHERE conversation_id = 'd:a:b' AND bucket = 0")
                    .one().getString("content")).isEqualTo("hi");
        }
    }

    @Test
    void aMigrationChangedAfterItWasAppliedIsRefused(CassandraServer cassandra) {
        CassandraSettings settings = new CassandraSettings(cassandra.host(), cassandra.port(),
                cassandra.localDatacenter(), "migrations_changed", CassandraSettings.LOCAL_REPLICATION);
        var original = new CqlMigrations.Migration(1, "t", "CREATE TABLE IF NOT EXISTS t (k text PRIMARY KEY);");
        var edited = new CqlMigrations.Migration(1, "t", "CREATE TABLE IF NOT EXISTS t (k int PRIMARY KEY);");
        try (CqlSession session = CassandraSessions.connect(settings)) {
            CqlMigrations.apply(session, settings, List.of(original));
            assertThatThrownBy(() -> CqlMigrations.apply(session, settings, new ArrayList<>(List.of(edited))))
                    .hasMessageContaining("was changed after it was applied");
        }
    }
}
