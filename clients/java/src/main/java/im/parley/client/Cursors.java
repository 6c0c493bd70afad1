package im.parley.client;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.Map;

/** Where a device keeps the last seq it holds per conversation, so that catch-up after a restart asks for the rest. */
public interface Cursors {

    Map<String, Long> load();

    void save(Map<String, Long> cursors);

    /** For this process's life only. */
    static Cursors inMemory() {
        return new Cursors() {
            private Map<String, Long> saved = Map.of();

            @Override
            public synchronized Map<String, Long> load() {
                return new HashMap<>(saved);
            }

            @Override
            public synchronized void save(Map<String, Long> cursors) {
                saved = Map.copyOf(cursors);
            }
        };
    }

    /** In a JSON file, replaced whole on each save. */
    static Cursors inFile(Path file) {
        ObjectMapper json = new ObjectMapper();
        return new Cursors() {
            @Override
            public Map<String, Long> load() {
                try {
                    return Files.exists(file) ? json.readValue(file.toFile(), new TypeReference<HashMap<String, Long>>() { })
                            : new HashMap<>();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }

            @Override
            public void save(Map<String, Long> cursors) {
                try {
                    Path parent = file.toAbsolutePath().getParent();
                    Files.createDirectories(parent);
                    Path next = parent.resolve(file.getFileName() + ".next");
                    json.writeValue(next.toFile(), cursors);
                    Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        };
    }
}
