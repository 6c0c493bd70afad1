package im.parley.manifests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A real kustomize: {@code kubectl kustomize}, the one operators run with {@code kubectl apply -k}. {@code ./parley
 * setup} installs Debian's kubectl where none is on the PATH; {@code PARLEY_KUBECTL} picks another binary.
 */
final class Kubectl {

    private static final YAMLMapper YAML = new YAMLMapper();
    private static final Map<Path, List<ObjectNode>> BUILT = new ConcurrentHashMap<>();

    private Kubectl() {
    }

    static String binary() {
        return System.getenv().getOrDefault("PARLEY_KUBECTL", "kubectl");
    }

    /** The objects {@code kubectl kustomize dir} prints, in its order. */
    static List<ObjectNode> kustomize(Path dir) {
        return BUILT.computeIfAbsent(dir.toAbsolutePath().normalize(), Kubectl::run).stream()
                .map(ObjectNode::deepCopy).toList();
    }

    private static List<ObjectNode> run(Path dir) {
        try {
            Process process = new ProcessBuilder(binary(), "kustomize", dir.toString())
                    .redirectError(ProcessBuilder.Redirect.PIPE).start();
            byte[] out = process.getInputStream().readAllBytes();
            String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new AssertionError("kubectl kustomize " + dir + " failed: " + err);
            }
            List<ObjectNode> objects = new ArrayList<>();
            try (var parser = new YAMLFactory().createParser(out)) {
                Iterator<JsonNode> docs = YAML.readValues(parser, JsonNode.class);
                while (docs.hasNext()) {
                    if (docs.next() instanceof ObjectNode object) {
                        objects.add(object);
                    }
                }
            }
            return objects;
        } catch (IOException e) {
            throw new AssertionError("cannot run " + binary() + " (./parley setup installs kubectl): " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
