package im.parley.manifests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The local runtime reads the overlays with its own small renderer; operators apply them with kubectl. Both must
 * build the same objects, field for field, or the runtime would test something no cluster runs.
 */
class RenderersAgreeTest {

    static java.util.stream.Stream<String> overlays() {
        return ManifestTree.OVERLAYS.stream();
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void kubectlAndTheRuntimeBuildTheSameObjects(String overlay) {
        Map<String, ObjectNode> kubectl = byIdentity(ManifestTree.build(overlay));
        Map<String, ObjectNode> runtime = byIdentity(ManifestTree.buildForRuntime(overlay));
        assertThat(runtime.keySet()).as(overlay + ": objects").isEqualTo(kubectl.keySet());
        kubectl.forEach((id, object) -> assertThat(runtime.get(id)).as(overlay + ": " + id).isEqualTo(object));
        assertThat(kubectl).hasSizeGreaterThan(40);
    }

    private static Map<String, ObjectNode> byIdentity(java.util.List<ObjectNode> objects) {
        return objects.stream().collect(Collectors.toMap(
                o -> ManifestTree.key(o) + " " + o.path("metadata").path("namespace").asText() + "/"
                        + o.path("metadata").path("name").asText(),
                Function.identity(), (a, b) -> {
                    throw new AssertionError("built twice: " + ManifestTree.name(a));
                }, TreeMap::new));
    }
}
