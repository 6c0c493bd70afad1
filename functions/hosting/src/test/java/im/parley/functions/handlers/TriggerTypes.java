package im.parley.functions.handlers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;

/** For function tests: the event types of a function's Triggers, as manifests/base/eventing/triggers defines them. */
public final class TriggerTypes {

    private TriggerTypes() {
    }

    /** The types the Triggers that call {@code service} filter on. */
    public static Set<String> of(String service) {
        Path file = triggers().resolve(service + ".yaml");
        Set<String> types = new TreeSet<>();
        try (MappingIterator<JsonNode> objects = new YAMLMapper().readerFor(JsonNode.class).readValues(file.toFile())) {
            while (objects.hasNext()) {
                JsonNode object = objects.next();
                if (object != null && "Trigger".equals(object.path("kind").asText())
                        && service.equals(object.at("/spec/subscriber/ref/name").asText())) {
                    JsonNode filters = object.at("/spec/filters");
                    if (filters.isArray() && !filters.isEmpty()) {
                        // The message path's form: one any of exact types.
                        filters.get(0).path("any").forEach(f -> types.add(f.at("/exact/type").asText()));
                    } else {
                        types.add(object.at("/spec/filter/attributes/type").asText());
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        return types;
    }

    private static Path triggers() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path triggers = dir.resolve("manifests/base/eventing/triggers");
            if (Files.isDirectory(triggers)) {
                return triggers;
            }
        }
        throw new IllegalStateException("no manifests/base/eventing/triggers above " + Path.of("").toAbsolutePath());
    }
}
