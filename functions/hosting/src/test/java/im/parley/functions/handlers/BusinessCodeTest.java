package im.parley.functions.handlers;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every function's business code is plain typed handlers: no CloudEvents anywhere, and JSON only in adapters
 * (a store's or a provider's: {@code Cassandra…}, {@code Redis…}, {@code …Gateway}). Hosting and support are the
 * adapting layers and are not checked.
 */
class BusinessCodeTest {

    static final Path FUNCTIONS = Path.of("..").toAbsolutePath().normalize();

    static boolean adapter(Path file) {
        String name = file.getFileName().toString();
        return name.startsWith("Cassandra") || name.startsWith("Redis") || name.endsWith("Gateway.java");
    }

    @Test
    void functionsImportNeitherCloudEventsNorJsonOutsideTheirAdapters() throws IOException {
        List<String> offences = new ArrayList<>();
        int checked = 0;
        try (Stream<Path> modules = Files.list(FUNCTIONS)) {
            for (Path module : modules.filter(m -> Files.isDirectory(m.resolve("src/main/java"))).toList()) {
                String name = module.getFileName().toString();
                if (name.equals("hosting") || name.equals("support")) {
                    continue;
                }
                try (Stream<Path> files = Files.walk(module.resolve("src/main/java"))) {
                    for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                        checked++;
                        for (String line : Files.readAllLines(file)) {
                            boolean events = line.startsWith("import io.cloudevents");
                            boolean json = line.startsWith("import com.fasterxml.jackson") && !adapter(file);
                            if (events || json) {
                                offences.add(FUNCTIONS.relativize(file) + ": " + line);
                            }
                        }
                    }
                }
            }
        }
        assertThat(checked).as("function sources found").isGreaterThan(50);
        assertThat(offences).isEmpty();
    }
}
