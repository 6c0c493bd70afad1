package im.parley.eventing;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** The example events under schemas/cloudevents/examples/&lt;type&gt;/, read from the source tree. */
public record Examples(String shortName, Path file, boolean valid) {

    public static final Path ROOT = Path.of("../../schemas/cloudevents");

    public static List<Examples> all() {
        try (Stream<Path> files = Files.walk(ROOT.resolve("examples"))) {
            return files.filter(f -> f.toString().endsWith(".json"))
                    .sorted()
                    .map(f -> new Examples(f.getParent().getFileName().toString(), f,
                            f.getFileName().toString().startsWith("valid-")))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public JsonNode json() {
        try {
            return EventJson.MAPPER.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public byte[] bytes() {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String toString() {
        return shortName + "/" + file.getFileName();
    }
}
