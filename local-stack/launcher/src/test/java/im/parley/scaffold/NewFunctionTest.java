package im.parley.scaffold;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion;
import im.parley.eventing.catalog.CatalogEntry;
import im.parley.eventing.catalog.EventCatalog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scaffold on a copy of this tree's files it reads and changes. {@code NewFunctionIT} (e2e) builds and tests
 * what it generates.
 */
class NewFunctionTest {

    static final Path SOURCE = Path.of("../..").toAbsolutePath().normalize();
    static final List<String> EDITED = List.of("pom.xml", "local-stack/launcher/pom.xml",
            "manifests/base/functions/kustomization.yaml", "manifests/base/eventing/kustomization.yaml",
            "keda/kustomization.yaml");
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path root;

    void copyTree() throws IOException {
        Path schemas = SOURCE.resolve("schemas/cloudevents");
        try (Stream<Path> files = Files.walk(schemas)) {
            for (Path f : files.filter(Files::isRegularFile).filter(f -> !schemas.relativize(f).startsWith("target")).toList()) {
                Path to = root.resolve(SOURCE.relativize(f));
                Files.createDirectories(to.getParent());
                Files.copy(f, to);
            }
        }
        for (String file : EDITED) {
            Files.createDirectories(root.resolve(file).getParent());
            Files.copy(SOURCE.resolve(file), root.resolve(file));
        }
        Files.createDirectories(root.resolve("functions/presence"));
    }

    Map<String, String> snapshot() throws IOException {
        Map<String, String> all = new HashMap<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                all.put(root.relativize(f).toString(), Files.readString(f));
            }
        }
        return all;
    }

    @Test
    void aNewFrameGetsItsModuleSchemaCatalogEntryFrameDeploymentAndTests() throws Exception {
        copyTree();
        List<Path> written = NewFunction.run(root, "read-marker", "--frame", "marker.set", "--key", "user",
                "--description", "Marks a conversation for later.");

        assertThat(written).extracting(Path::toString).contains(
                "functions/read-marker/pom.xml",
                "functions/read-marker/src/main/java/im/parley/readmarker/ReadMarkerFunction.java",
                "functions/read-marker/src/main/java/im/parley/readmarker/ReadMarkerConfiguration.java",
                "functions/read-marker/src/main/java/im/parley/readmarker/SetSent.java",
                "functions/read-marker/src/test/java/im/parley/readmarker/ReadMarkerFunctionTest.java",
                "functions/read-marker/src/main/resources/META-INF/parley-function.properties",
                "schemas/cloudevents/marker.set.sent.schema.json",
                "schemas/cloudevents/examples/marker.set.sent/valid-1.json",
                "schemas/cloudevents/examples/marker.set.sent/invalid-without-text.json",
                "schemas/cloudevents/read-marker.frame.schema.json",
                "manifests/base/functions/read-marker.yaml", "manifests/base/eventing/triggers/read-marker.yaml",
                "keda/read-marker.yaml", "e2e/src/test/java/im/parley/e2e/ReadMarkerFunctionIT.java");
        assertThat(written).extracting(Path::toString).containsAll(EDITED);

        EventCatalog catalog = EventCatalog.read(root.resolve("schemas/cloudevents/catalog.yaml"));
        CatalogEntry entry = catalog.entry("im.parley.marker.set.sent").orElseThrow();
        assertThat(entry).isEqualTo(new CatalogEntry("im.parley.marker.set.sent", "marker.set",
                "Marks a conversation for later.", "marker.set.sent.schema.json", "broker", "default", true, null, "user",
                List.of("connection-tier"), List.of("read-marker")));
        assertThat(catalog.entry("im.parley.delivery.batch").orElseThrow().producers()).endsWith("read-marker");
        assertThat(catalog.downstreamFrame("read-marker")).contains(new EventCatalog.DownstreamFrame("read-marker",
                "Sent by the read-marker function: the data of im.parley.marker.set.sent.",
                "read-marker.frame.schema.json", "read-marker"));
        assertThat(catalog.downstreamFrames()).extracting(EventCatalog.DownstreamFrame::name).contains("typing");

        assertThat(Files.readString(root.resolve("pom.xml"))).contains(
                "    <module>functions/read-marker</module>\n    <module>manifests</module>\n");
        assertThat(Files.readString(root.resolve("local-stack/launcher/pom.xml")))
                .contains("<artifactId>parley-function-read-marker</artifactId>");
        assertThat(Files.readString(root.resolve("manifests/base/functions/kustomization.yaml")))
                .contains("  - read-marker.yaml\n  - network-policy.yaml\n");
        assertThat(Files.readString(root.resolve("manifests/base/eventing/kustomization.yaml")))
                .endsWith("  - triggers/read-marker.yaml\n");
        assertThat(Files.readString(root.resolve("keda/kustomization.yaml"))).endsWith("  - read-marker.yaml\n");
        assertThat(Files.readString(root.resolve("manifests/base/eventing/triggers/read-marker.yaml")))
                .contains("name: read-marker-marker-set-sent", "type: im.parley.marker.set.sent",
                        "delivery.order: ordered", "broker: default", "audience: parley.im/functions/read-marker");
        assertThat(Files.readString(root.resolve(
                "functions/read-marker/src/main/java/im/parley/readmarker/SetSent.java")))
                .contains("public record SetSent(String text)");

        // The examples hold to the new schema, and the frame the function sends to its own frame schema.
        JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012, b -> b.schemaMappers(
                m -> m.mapPrefix("https://schemas.parley.im/cloudevents/", root.resolve("schemas/cloudevents").toUri() + "")));
        JsonSchema type = factory.getSchema(SchemaLocation.of(
                "https://schemas.parley.im/cloudevents/marker.set.sent.schema.json"));
        JsonNode valid = JSON.readTree(root.resolve("schemas/cloudevents/examples/marker.set.sent/valid-1.json").toFile());
        assertThat(type.validate(valid)).isEmpty();
        assertThat(type.validate(JSON.readTree(root.resolve(
                "schemas/cloudevents/examples/marker.set.sent/invalid-without-text.json").toFile()))).isNotEmpty();
        JsonSchema frame = factory.getSchema(SchemaLocation.of(
                "https://schemas.parley.im/cloudevents/read-marker.frame.schema.json"));
        assertThat(frame.validate(JSON.readTree("{\"v\":1,\"t\":\"read-marker\",\"d\":" + valid.get("data") + "}"))).isEmpty();
        assertThat(frame.validate(JSON.readTree("{\"v\":1,\"t\":\"read-marker\",\"d\":{\"text\":\"\"}}"))).isNotEmpty();
        assertThat(frame.validate(JSON.readTree("{\"v\":1,\"t\":\"msg\",\"d\":" + valid.get("data") + "}")))
                .as("another frame's t").isNotEmpty();
    }

    @Test
    void anExistingTypeGetsANewConsumerAndARecordFromItsSchema() throws Exception {
        copyTree();
        List<Path> written = NewFunction.run(root, "read-stats", "--on", "im.parley.receipt.read");

        assertThat(written).extracting(Path::toString).doesNotContain("schemas/cloudevents/receipt.read.schema.json")
                .contains("e2e/src/test/java/im/parley/e2e/ReadStatsFunctionIT.java");
        CatalogEntry entry = EventCatalog.read(root.resolve("schemas/cloudevents/catalog.yaml"))
                .entry("im.parley.receipt.read").orElseThrow();
        assertThat(entry.consumers()).containsExactly("receipt", "read-stats");
        assertThat(Files.readString(root.resolve("functions/read-stats/src/main/java/im/parley/readstats/ReceiptRead.java")))
                .contains("public record ReceiptRead(String conversationId, long seq)");
        assertThat(Files.readString(root.resolve("manifests/base/eventing/triggers/read-stats.yaml")))
                .contains("name: read-stats-receipt-read");
    }

    @Test
    void whatWouldClashIsRefusedAndNothingChanges() throws Exception {
        copyTree();
        Map<String, String> before = snapshot();
        assertThatThrownBy(() -> NewFunction.run(root, "presence", "--frame", "presence.ping"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("functions/presence exists");
        assertThatThrownBy(() -> NewFunction.run(root, "sender", "--frame", "send"))
                .hasMessage("clients send 'send' already, as im.parley.message.sent");
        assertThatThrownBy(() -> NewFunction.run(root, "receipt2", "--frame", "x", "--type", "im.parley.receipt.read"))
                .hasMessage("im.parley.receipt.read is in the catalog already: use --on im.parley.receipt.read");
        assertThatThrownBy(() -> NewFunction.run(root, "ghost", "--on", "im.parley.nothing.here"))
                .hasMessageContaining("im.parley.nothing.here is not in");
        assertThatThrownBy(() -> NewFunction.run(root, "late", "--on", "im.parley.message.persisted"))
                .hasMessageContaining("is not on a broker (channel composed)");
        assertThatThrownBy(() -> NewFunction.run(root, "msg", "--frame", "msgx"))
                .hasMessage("a 'msg' frame exists already: pick another name");
        assertThatThrownBy(() -> NewFunction.run(root, "typing", "--frame", "typing.started"))
                .as("a product function's frame, in the catalog's downstreamFrames")
                .hasMessage("a 'typing' frame exists already: pick another name");
        assertThatThrownBy(() -> NewFunction.run(root, "elsewhere", "--frame", "elsewhere", "--broker", "nowhere"))
                .hasMessageContaining("no broker nowhere");
        assertThat(snapshot()).isEqualTo(before);
    }

    @Test
    void badArgumentsAreRefusedWithWhatIsWrong() {
        assertThatThrownBy(() -> NewFunction.parse("Typing", "--frame", "typing"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not Typing");
        assertThatThrownBy(() -> NewFunction.parse("typing")).hasMessageContaining("either --frame FRAME");
        assertThatThrownBy(() -> NewFunction.parse("typing", "--frame", "t", "--on", "im.parley.receipt.read"))
                .hasMessageContaining("either --frame FRAME");
        assertThatThrownBy(() -> NewFunction.parse("typing", "--frame")).hasMessage("--frame needs a value");
        assertThatThrownBy(() -> NewFunction.parse("typing", "--frme", "t")).hasMessage("unknown option --frme");
        assertThatThrownBy(() -> NewFunction.parse("typing", "--frame", "t", "--key", "node"))
                .hasMessage("--key is conversation or user, not node");
        assertThatThrownBy(() -> NewFunction.parse("typing", "--frame", "Typing!")).hasMessageContaining("not Typing!");
        assertThatThrownBy(() -> NewFunction.parse("typing", "--on", "im.parley.receipt.read", "--ephemeral"))
                .hasMessageContaining("--on takes the catalog's");
        assertThatThrownBy(() -> NewFunction.parse("typing", "--on", "im.parley.receipt.read", "--key", "user"))
                .hasMessageContaining("--on takes the catalog's");
        assertThat(NewFunction.parse("typing", "--frame", "typing", "--ephemeral"))
                .isEqualTo(new NewFunction.Request("typing", "typing", "im.parley.typing.sent", "conversation", true, null,
                        "default", "Handles the typing frame."));
    }

    /** So that the schemas it writes look like the project's own. */
    @Test
    void jsonIsWrittenInTheProjectsFormat() throws Exception {
        for (String file : List.of("frames.schema.json", "typing.frame.schema.json")) {
            Path schema = SOURCE.resolve("schemas/cloudevents").resolve(file);
            assertThat(NewFunction.pretty(NewFunction.readJson(schema))).as(file).isEqualTo(Files.readString(schema));
        }
    }

    @Test
    void namesFollowTheProjectsConventions() {
        assertThat(NewFunction.className("friend-request")).isEqualTo("FriendRequest");
        assertThat(NewFunction.javaPackage("friend-request")).isEqualTo("im.parley.friendrequest");
        assertThat(NewFunction.dataClass("im.parley.typing.sent")).isEqualTo("TypingSent");
        assertThat(NewFunction.triggerName("presence", "im.parley.presence.reported")).isEqualTo("presence-reported");
        assertThat(NewFunction.triggerName("presence", "im.parley.connection.opened"))
                .isEqualTo("presence-connection-opened");
        assertThat(NewFunction.addToList("  - type: im.parley.a\n    consumers: [x]\n  - type: im.parley.b\n"
                + "    consumers: [y, z]\n", "im.parley.b", "consumers", "w"))
                .isEqualTo("  - type: im.parley.a\n    consumers: [x]\n  - type: im.parley.b\n    consumers: [y, z, w]\n");
    }
}
