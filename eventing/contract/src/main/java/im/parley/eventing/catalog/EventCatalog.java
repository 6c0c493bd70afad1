package im.parley.eventing.catalog;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * schemas/cloudevents/catalog.yaml, read from the classpath (cloudevents/catalog.yaml).
 *
 * @param downstreamFrames the frames product functions send clients, each with a schema file of its own; the core
 *                         protocol's frames are in frames.schema.json
 */
public record EventCatalog(List<Broker> brokers, List<CatalogEntry> types, List<DownstreamFrame> downstreamFrames) {

    public static final String RESOURCE = "cloudevents/catalog.yaml";

    /** A Knative Kafka Broker, its topic named by Knative's template. */
    public record Broker(String name, String description) {
    }

    /**
     * A frame a function sends clients, defined by a schema of its own ({@code NAME.frame.schema.json}) so that a
     * product function adds its frame without editing the core protocol's frames.schema.json.
     */
    public record DownstreamFrame(String name, String description, String schema, String producer) {
    }

    public EventCatalog {
        downstreamFrames = downstreamFrames == null ? List.of() : List.copyOf(downstreamFrames);
    }

    /** The catalog on the classpath, read once. */
    public static EventCatalog shared() {
        return Shared.CATALOG;
    }

    public static EventCatalog load() {
        try (InputStream in = EventCatalog.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is not on the classpath (parley-schemas missing?)");
            }
            return read(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
    }

    /** A catalog file, such as the one in a source tree. */
    public static EventCatalog read(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return read(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private static EventCatalog read(InputStream in) throws IOException {
        return YAMLMapper.builder().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build()
                .readValue(in, EventCatalog.class);
    }

    public Optional<CatalogEntry> entry(String type) {
        return types.stream().filter(t -> t.type().equals(type)).findFirst();
    }

    /** The broker that carries a type, if the catalog puts it on one. */
    public Optional<String> brokerOf(String type) {
        return entry(type).map(CatalogEntry::broker);
    }

    /** Upstream frame name to the type it becomes: every entry that names a frame. */
    public Map<String, CatalogEntry> frames() {
        Map<String, CatalogEntry> frames = new HashMap<>();
        for (CatalogEntry entry : types) {
            if (entry.frame() != null && frames.put(entry.frame(), entry) != null) {
                throw new IllegalStateException("frame " + entry.frame() + " is named by two catalog types");
            }
        }
        return Map.copyOf(frames);
    }

    /** A downstream frame defined in a schema file of its own, by its name ({@code t}). */
    public Optional<DownstreamFrame> downstreamFrame(String name) {
        return downstreamFrames.stream().filter(f -> f.name().equals(name)).findFirst();
    }

    private static final class Shared {
        static final EventCatalog CATALOG = load();
    }
}
