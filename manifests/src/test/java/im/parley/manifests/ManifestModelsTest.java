package im.parley.manifests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import im.parley.eventing.runtime.manifest.Kustomization;
import io.fabric8.knative.eventing.v1.Trigger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every object, in every file and in every built overlay, parses into its typed model with no unknown field. */
class ManifestModelsTest {

    @Test
    void everyObjectInEveryFileIsAKnownKindWithOnlyKnownFields() throws Exception {
        List<String> problems = new ArrayList<>();
        int objects = 0;
        for (Path file : ManifestTree.yamlFiles()) {
            for (ObjectNode object : Kustomization.readObjects(file)) {
                objects++;
                check(ManifestTree.MANIFESTS.getParent().relativize(file) + ": ", object, problems,
                        file.startsWith(ManifestTree.KEDA) || file.getFileName().toString().equals("single-node.yaml"));
            }
        }
        assertThat(problems).isEmpty();
        assertThat(objects).isGreaterThan(40);
    }

    @Test
    void theBuiltOverlaysAreValidToo() {
        for (String overlay : ManifestTree.OVERLAYS) {
            List<String> problems = new ArrayList<>();
            for (ObjectNode object : ManifestTree.build(overlay)) {
                check(overlay + ": ", object, problems, false);
            }
            assertThat(problems).as(overlay).isEmpty();
        }
    }

    @Test
    void theStrictCheckCatchesAMisspeltField() throws Exception {
        ObjectNode trigger = (ObjectNode) ManifestTree.MAPPER.readTree("""
                {"apiVersion": "eventing.knative.dev/v1", "kind": "Trigger", "metadata": {"name": "t"},
                 "spec": {"broker": "default", "subscriber": {"ref": {"kind": "Service", "name": "s"}},
                          "delivery": {"retries": 3}}}""");
        assertThat(StrictFields.unknown(ManifestTree.typed(trigger, Trigger.class))).containsExactly("spec.delivery.retries");
    }

    /** Patches are partial objects: they are typed and checked for unknown fields, but not for completeness. */
    private static void check(String where, ObjectNode object, List<String> problems, boolean patch) {
        Class<?> model = ManifestTree.MODELS.get(ManifestTree.key(object));
        if (model == null) {
            problems.add(where + ManifestTree.name(object) + ": no typed model for " + ManifestTree.key(object));
            return;
        }
        Object typed;
        try {
            typed = ManifestTree.typed(object, model);
        } catch (AssertionError e) {
            problems.add(where + e.getMessage());
            return;
        }
        StrictFields.unknown(typed).forEach(field -> problems.add(where + ManifestTree.name(object) + ": unknown field " + field));
        if (!patch && object.path("metadata").path("name").asText().isEmpty()) {
            problems.add(where + ManifestTree.name(object) + ": no name");
        }
    }
}
