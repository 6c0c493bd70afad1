package im.parley.eventing.runtime.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Reads the objects of a Kustomize tree as {@code kubectl kustomize} would for what the local runtime needs:
 * {@code resources} (files and directories), {@code bases}, {@code components}, {@code namespace}, and
 * {@code patchesStrategicMerge} and {@code patches} given by path or inline, applied as merge patches matched by kind
 * and name. Anything else a kustomization may hold (images, generators, labels) does not change Triggers, Brokers or
 * sinks, so it is left to Kustomize. The manifests' tests check that this and kubectl build the same objects.
 */
public final class Kustomization {

    private static final ObjectMapper YAML = new YAMLMapper();
    private static final List<String> FILE_NAMES = List.of("kustomization.yaml", "kustomization.yml", "Kustomization");

    private Kustomization() {
    }

    /** Every object the kustomization at {@code root} builds, in order. */
    public static List<ObjectNode> build(Path root) {
        List<ObjectNode> objects = new ArrayList<>();
        load(root.toAbsolutePath().normalize(), objects, false);
        return objects;
    }

    /** Every document of a multi-document YAML file that is a Kubernetes object. */
    public static List<ObjectNode> readObjects(Path file) {
        List<ObjectNode> objects = new ArrayList<>();
        try (var parser = new YAMLFactory().createParser(file.toFile())) {
            Iterator<JsonNode> docs = YAML.readValues(parser, JsonNode.class);
            while (docs.hasNext()) {
                JsonNode doc = docs.next();
                if (doc instanceof ObjectNode object && object.hasNonNull("kind")) {
                    objects.add(object);
                }
            }
        } catch (IOException e) {
            throw new ManifestException(file + ": not valid YAML: " + e.getMessage(), e);
        }
        return objects;
    }

    /** A component adds to and patches the objects of the kustomization that includes it. */
    private static void load(Path dir, List<ObjectNode> into, boolean component) {
        Path file = FILE_NAMES.stream().map(dir::resolve).filter(Files::isRegularFile).findFirst()
                .orElseThrow(() -> new ManifestException(dir + ": no kustomization.yaml"));
        JsonNode kustomization;
        try {
            kustomization = YAML.readTree(file.toFile());
        } catch (IOException e) {
            throw new ManifestException(file + ": not valid YAML: " + e.getMessage(), e);
        }
        List<ObjectNode> own = component ? into : new ArrayList<>();
        List<JsonNode> resources = new ArrayList<>();
        kustomization.path("resources").forEach(resources::add);
        kustomization.path("bases").forEach(resources::add);
        for (JsonNode resource : resources) {
            Path path = dir.resolve(resource.asText()).normalize();
            if (Files.isDirectory(path)) {
                load(path, own, false);
            } else if (Files.isRegularFile(path)) {
                own.addAll(readObjects(path));
            } else {
                throw new ManifestException(file + ": resource " + resource.asText() + " does not exist");
            }
        }
        String namespace = kustomization.path("namespace").asText(null);
        if (namespace != null) {
            own.forEach(o -> ((ObjectNode) o.with("metadata")).put("namespace", namespace));
        }
        for (JsonNode included : kustomization.path("components")) {
            Path path = dir.resolve(included.asText()).normalize();
            if (!Files.isDirectory(path)) {
                throw new ManifestException(file + ": component " + included.asText() + " is not a directory");
            }
            load(path, own, true);
        }
        for (JsonNode patch : kustomization.path("patchesStrategicMerge")) {
            for (ObjectNode doc : patchDocuments(dir, file, patch.isTextual() && !patch.asText().contains("\n")
                    ? YAML.createObjectNode().put("path", patch.asText())
                    : YAML.createObjectNode().put("patch", patch.asText()))) {
                apply(file, doc, own);
            }
        }
        for (JsonNode patch : kustomization.path("patches")) {
            for (ObjectNode doc : patchDocuments(dir, file, patch)) {
                apply(file, doc, own);
            }
        }
        if (!component) {
            into.addAll(own);
        }
    }

    private static List<ObjectNode> patchDocuments(Path dir, Path file, JsonNode patch) {
        if (patch.hasNonNull("path")) {
            Path path = dir.resolve(patch.get("path").asText()).normalize();
            if (!Files.isRegularFile(path)) {
                throw new ManifestException(file + ": patch " + path + " does not exist");
            }
            return readObjects(path);
        }
        if (patch.hasNonNull("patch")) {
            try {
                JsonNode inline = YAML.readTree(patch.get("patch").asText());
                if (inline instanceof ObjectNode object && object.hasNonNull("kind")) {
                    return List.of(object);
                }
            } catch (IOException e) {
                throw new ManifestException(file + ": inline patch is not valid YAML: " + e.getMessage(), e);
            }
        }
        throw new ManifestException(file + ": only merge patches given by path or inline are supported, got " + patch);
    }

    private static void apply(Path file, ObjectNode patch, List<ObjectNode> objects) {
        String kind = patch.path("kind").asText();
        String name = patch.path("metadata").path("name").asText();
        ObjectNode target = objects.stream()
                .filter(o -> o.path("kind").asText().equals(kind) && o.path("metadata").path("name").asText().equals(name))
                .findFirst()
                .orElseThrow(() -> new ManifestException(file + ": patch targets " + kind + "/" + name
                        + ", which no resource defines"));
        merge(target, patch);
    }

    /** A JSON merge patch: objects merge key by key, everything else is replaced, null removes. */
    static void merge(ObjectNode target, JsonNode patch) {
        for (Iterator<Map.Entry<String, JsonNode>> it = patch.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            JsonNode value = field.getValue();
            JsonNode existing = target.get(field.getKey());
            if (value.isNull()) {
                target.remove(field.getKey());
            } else if (value.isObject() && existing instanceof ObjectNode existingObject) {
                merge(existingObject, value);
            } else {
                target.set(field.getKey(), value.deepCopy());
            }
        }
    }

    /** Thrown for a manifest tree the runtime cannot read, with the file and the reason. */
    public static final class ManifestException extends RuntimeException {
        public ManifestException(String message) {
            super(message);
        }

        public ManifestException(String message, Throwable cause) {
            super(message, cause);
        }
    }

}
