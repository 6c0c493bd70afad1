package im.parley.cassandra;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the CQL files under cassandra/migrations/ (V&lt;n&gt;__&lt;name&gt;.cql) in order, once each.
 * Applied versions are recorded with a checksum; a file changed after it was applied is an error.
 * Every statement is idempotent (IF NOT EXISTS), so a run interrupted half-way is simply run again.
 */
public final class CqlMigrations {

    public static final String LOCATION = "cassandra/migrations";
    private static final Pattern FILE = Pattern.compile("V(\\d+)__([A-Za-z0-9_]+)\\.cql");
    private static final Logger LOG = LoggerFactory.getLogger(CqlMigrations.class);
    /** Schema changes on a busy single node take longer than a query's timeout. */
    static final Duration DDL_TIMEOUT = Duration.ofSeconds(30);

    /** One migration file. */
    public record Migration(int version, String name, String cql) {

        public String checksum() {
            try {
                return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                        .digest(cql.getBytes(StandardCharsets.UTF_8)));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }

        /** Statements split on semicolons at line ends; comment lines are dropped. */
        public List<String> statements() {
            List<String> statements = new ArrayList<>();
            StringBuilder current = new StringBuilder();
            for (String line : cql.split("\n")) {
                String trimmed = line.strip();
                if (trimmed.isEmpty() || trimmed.startsWith("--")) {
                    continue;
                }
                current.append(line).append('\n');
                if (trimmed.endsWith(";")) {
                    statements.add(current.toString().strip().replaceAll(";$", ""));
                    current.setLength(0);
                }
            }
            if (!current.toString().isBlank()) {
                throw new IllegalStateException("V" + version + "__" + name + " ends without ';'");
            }
            return statements;
        }
    }

    private CqlMigrations() {
    }

    /** Creates the keyspace if needed and applies what is not applied yet; returns the versions it applied. */
    public static List<Integer> apply(CqlSession session, CassandraSettings settings) {
        return apply(session, settings, load());
    }

    static List<Integer> apply(CqlSession session, CassandraSettings settings, List<Migration> migrations) {
        String ks = settings.keyspace();
        session.execute(SimpleStatement.newInstance("CREATE KEYSPACE IF NOT EXISTS " + ks + " WITH replication = "
                + settings.replication()).setTimeout(DDL_TIMEOUT));
        session.execute(SimpleStatement.newInstance("CREATE TABLE IF NOT EXISTS " + ks + ".schema_migrations ("
                + "version int PRIMARY KEY, name text, checksum text, applied_at timestamp)").setTimeout(DDL_TIMEOUT));
        List<Integer> applied = new ArrayList<>();
        for (Migration migration : migrations) {
            Row done = session.execute(SimpleStatement.newInstance(
                    "SELECT checksum FROM " + ks + ".schema_migrations WHERE version = ?", migration.version())).one();
            if (done != null) {
                if (!done.getString("checksum").equals(migration.checksum())) {
                    throw new IllegalStateException("migration V" + migration.version() + "__" + migration.name()
                            + " was changed after it was applied; add a new migration instead");
                }
                continue;
            }
            for (String statement : migration.statements()) {
                session.execute(SimpleStatement.newInstance(statement).setKeyspace(ks).setTimeout(DDL_TIMEOUT));
            }
            session.execute(SimpleStatement.newInstance("INSERT INTO " + ks + ".schema_migrations "
                            + "(version, name, checksum, applied_at) VALUES (?, ?, ?, ?)",
                    migration.version(), migration.name(), migration.checksum(), Instant.now()));
            LOG.info("applied Cassandra migration V{}__{}", migration.version(), migration.name());
            applied.add(migration.version());
        }
        session.checkSchemaAgreement();
        return applied;
    }

    /** The migrations on the classpath, in version order. */
    public static List<Migration> load() {
        URL url = CqlMigrations.class.getClassLoader().getResource(LOCATION);
        if (url == null) {
            throw new IllegalStateException(LOCATION + " is not on the classpath");
        }
        try {
            URI uri = url.toURI();
            if ("jar".equals(uri.getScheme())) {
                try (FileSystem jar = jarFileSystem(uri)) {
                    return read(jar.provider().getPath(uri));
                }
            }
            return read(Path.of(uri));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static FileSystem jarFileSystem(URI uri) throws IOException {
        try {
            return FileSystems.newFileSystem(uri, Map.of());
        } catch (FileSystemAlreadyExistsException e) {
            // Someone else holds it open; a copy we can close is needed.
            return FileSystems.newFileSystem(uri, Map.of("create", "false"));
        }
    }

    private static List<Migration> read(Path dir) throws IOException {
        List<Migration> migrations = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.toList()) {
                Matcher m = FILE.matcher(file.getFileName().toString());
                if (!m.matches()) {
                    throw new IllegalStateException("unexpected file in " + LOCATION + ": " + file.getFileName()
                            + " (expected V<n>__<name>.cql)");
                }
                try (InputStream in = Files.newInputStream(file)) {
                    migrations.add(new Migration(Integer.parseInt(m.group(1)), m.group(2),
                            new String(in.readAllBytes(), StandardCharsets.UTF_8)));
                }
            }
        }
        migrations.sort((a, b) -> Integer.compare(a.version(), b.version()));
        for (int i = 1; i < migrations.size(); i++) {
            if (migrations.get(i).version() == migrations.get(i - 1).version()) {
                throw new IllegalStateException("two migrations share version " + migrations.get(i).version());
            }
        }
        return migrations;
    }
}
