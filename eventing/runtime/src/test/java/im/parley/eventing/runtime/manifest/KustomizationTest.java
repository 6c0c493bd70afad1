package im.parley.eventing.runtime.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KustomizationTest {

    static final String TRIGGER_A = """
            apiVersion: eventing.knative.dev/v1
            kind: Trigger
            metadata:
              name: a
              annotations: {keep: "1"}
            spec: {broker: default}
            """;
    static final String LAG_ON_A = """
            apiVersion: eventing.knative.dev/v1
            kind: Trigger
            metadata:
              name: a
              annotations: {lag: "100"}
            """;

    @TempDir
    Path dir;

    @Test
    void resourcesComponentsNamespaceAndPatchesCompose() throws Exception {
        Files.createDirectories(dir.resolve("base"));
        Files.createDirectories(dir.resolve("scaling"));
        Files.createDirectories(dir.resolve("overlay"));
        Files.writeString(dir.resolve("base/kustomization.yaml"), "resources: [triggers.yaml]\n");
        Files.writeString(dir.resolve("base/triggers.yaml"), TRIGGER_A + """
                ---
                apiVersion: eventing.knative.dev/v1
                kind: Trigger
                metadata: {name: b}
                spec: {broker: default}
                """);
        Files.writeString(dir.resolve("scaling/kustomization.yaml"), """
                apiVersion: kustomize.config.k8s.io/v1alpha1
                kind: Component
                patches:
                  - path: a.yaml
                """);
        Files.writeString(dir.resolve("scaling/a.yaml"), LAG_ON_A);
        Files.writeString(dir.resolve("overlay/kustomization.yaml"), """
                namespace: parley
                resources: [../base]
                components: [../scaling]
                patches:
                  - patch: |
                      apiVersion: eventing.knative.dev/v1
                      kind: Trigger
                      metadata: {name: b}
                      spec: {broker: other}
                """);
        List<ObjectNode> objects = Kustomization.build(dir.resolve("overlay"));
        assertThat(objects).hasSize(2);
        assertThat(objects.get(0).at("/metadata/namespace").asText()).isEqualTo("parley");
        assertThat(objects.get(0).at("/metadata/annotations/keep").asText()).isEqualTo("1");
        assertThat(objects.get(0).at("/metadata/annotations/lag").asText()).isEqualTo("100");
        assertThat(objects.get(1).at("/spec/broker").asText()).isEqualTo("other");
    }

    /** The form the shipped tree uses, which kubectl 1.20's kustomize v2 reads too. */
    @Test
    void basesAndStrategicMergePatchesCompose() throws Exception {
        Files.createDirectories(dir.resolve("base"));
        Files.createDirectories(dir.resolve("overlay"));
        Files.writeString(dir.resolve("base/kustomization.yaml"), "namespace: parley\nresources: [triggers.yaml]\n");
        Files.writeString(dir.resolve("base/triggers.yaml"), TRIGGER_A);
        Files.writeString(dir.resolve("overlay/kustomization.yaml"), """
                bases: [../base]
                patchesStrategicMerge: [a.yaml]
                """);
        Files.writeString(dir.resolve("overlay/a.yaml"), LAG_ON_A);
        List<ObjectNode> objects = Kustomization.build(dir.resolve("overlay"));
        assertThat(objects).hasSize(1);
        assertThat(objects.get(0).at("/metadata/namespace").asText()).isEqualTo("parley");
        assertThat(objects.get(0).at("/metadata/annotations/keep").asText()).isEqualTo("1");
        assertThat(objects.get(0).at("/metadata/annotations/lag").asText()).isEqualTo("100");
    }

    @Test
    void aPatchForAMissingObjectIsAnError() throws Exception {
        Files.writeString(dir.resolve("kustomization.yaml"), """
                patches:
                  - patch: |
                      kind: Trigger
                      metadata: {name: ghost}
                """);
        assertThatThrownBy(() -> Kustomization.build(dir)).hasMessageContaining("Trigger/ghost");
    }
}
