package im.parley.cassandra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CqlMigrationsTest {

    @Test
    void loadsEveryMigrationInVersionOrder() {
        assertThat(CqlMigrations.load()).extracting(CqlMigrations.Migration::version).containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9);
    }

    @Test
    void splitsStatementsAndDropsComments() {
        var migration = new CqlMigrations.Migration(9, "t", """
                -- a comment; with a semicolon
                CREATE TABLE IF NOT EXISTS a (
                    k text PRIMARY KEY
                );
                CREATE TABLE IF NOT EXISTS b (k text PRIMARY KEY);
                """);
        assertThat(migration.statements()).containsExactly(
                "CREATE TABLE IF NOT EXISTS a (\n    k text PRIMARY KEY\n)",
                "CREATE TABLE IF NOT EXISTS b (k text PRIMARY KEY)");
    }

    @Test
    void aStatementWithoutItsSemicolonIsAnError() {
        var migration = new CqlMigrations.Migration(9, "t", "CREATE TABLE x (k text PRIMARY KEY)");
        assertThatThrownBy(migration::statements).hasMessageContaining("ends without ';'");
    }
}
