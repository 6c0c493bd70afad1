package im.parley.scaffold;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import im.parley.eventing.catalog.CatalogEntry;
import im.parley.eventing.catalog.EventCatalog;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * {@code ./parley new-function NAME}: a function module with a handler and its tests, and everything that routes,
 * deploys and scales it: the catalog entry (and, for a new client frame, its schema and examples), the downstream
 * frame it sends, the Knative Service, Trigger and KEDA settings, the Maven module and the local stack's
 * dependency on it. What it generates passes {@code ./parley test} as it is.
 */
public final class NewFunction {

    /** The usage, a file of its own so that ./parley prints it before anything is built. */
    static final String USAGE = resource("usage.txt");

    private static final String PREFIX = "im.parley.";
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9]*(-[a-z0-9]+)*");
    private static final Pattern FRAME = Pattern.compile("[a-z][a-z0-9]*([.-][a-z0-9]+)*");
    private static final Pattern TYPE = Pattern.compile("im\\.parley(\\.[a-z][a-z0-9]*)+");
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The layout of the project's JSON files: two spaces, one array item a line, {@code "key": value}. */
    private static final ObjectWriter PRETTY = JSON.writer(new DefaultPrettyPrinter()
            .withArrayIndenter(DefaultIndenter.SYSTEM_LINEFEED_INSTANCE)
            .withSeparators(Separators.createDefaultInstance()
                    .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
                    .withObjectEmptySeparator("")
                    .withArrayEmptySeparator("")));

    /** What to generate, checked against the source tree. */
    record Request(String name, String frame, String type, String key, boolean ephemeral, String on, String broker,
                   String description) {
    }

    private final Path root;
    private final Request request;
    private final EventCatalog catalog;
    private final List<Path> written = new ArrayList<>();

    NewFunction(Path root, Request request) {
        this.root = root;
        this.request = request;
        this.catalog = EventCatalog.read(root.resolve("schemas/cloudevents/catalog.yaml"));
    }

    public static void main(String[] args) {
        if (args.length == 0 || List.of(args).contains("--help") || List.of(args).contains("-h")) {
            System.out.print(USAGE);
            System.exit(args.length == 0 ? 2 : 0);
        }
        try {
            Request request = parse(args);
            List<Path> files = new NewFunction(Path.of("").toAbsolutePath(), request).generate();
            System.out.println("new function " + request.name() + ":");
            files.forEach(f -> System.out.println("  " + f));
            System.out.println("Next: ./parley test runs its tests; ./parley up hosts it. docs/functions.md is the guide.");
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage() + " (./parley new-function --help lists the options)");
            System.exit(2);
        } catch (IllegalStateException e) {
            System.err.println(e.getMessage());
            System.exit(1);
        }
    }

    /**
     * Generates a function into a source tree, as the command does; the files it wrote or changed, relative to it.
     *
     * @throws IllegalArgumentException for arguments the usage does not allow
     * @throws IllegalStateException    when the function would clash with what the tree has; nothing is changed
     */
    public static List<Path> run(Path root, String... args) {
        return new NewFunction(root, parse(args)).generate();
    }

    static Request parse(String... args) {
        String name = null;
        String frame = null;
        String type = null;
        String key = null;
        boolean ephemeral = false;
        String on = null;
        String broker = null;
        String description = null;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            switch (arg) {
                case "--frame" -> frame = value(args, ++i, arg);
                case "--type" -> type = value(args, ++i, arg);
                case "--key" -> key = value(args, ++i, arg);
                case "--ephemeral" -> ephemeral = true;
                case "--on" -> on = value(args, ++i, arg);
                case "--broker" -> broker = value(args, ++i, arg);
                case "--description" -> description = value(args, ++i, arg);
                default -> {
                    if (arg.startsWith("-")) {
                        throw new IllegalArgumentException("unknown option " + arg);
                    }
                    if (name != null) {
                        throw new IllegalArgumentException("one NAME only, not " + name + " and " + arg);
                    }
                    name = arg;
                }
            }
        }
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("NAME must be lower case letters and digits with dashes, like read-marker"
                    + (name == null ? "" : ", not " + name));
        }
        if ((frame == null) == (on == null)) {
            throw new IllegalArgumentException("give either --frame FRAME (a new client frame) or --on TYPE (an existing type)");
        }
        if (on != null && (type != null || key != null || ephemeral || broker != null)) {
            throw new IllegalArgumentException("--type, --key, --ephemeral and --broker describe a new frame's type; --on "
                    + "takes the catalog's");
        }
        if (key == null) {
            key = "conversation";
        }
        if (frame != null && !FRAME.matcher(frame).matches()) {
            throw new IllegalArgumentException("FRAME must be lower case words joined by dots or dashes, not " + frame);
        }
        if (frame != null && type == null) {
            type = PREFIX + frame.replace('-', '.') + ".sent";
        }
        String checked = on != null ? on : type;
        if (!TYPE.matcher(checked).matches()) {
            throw new IllegalArgumentException("an event type is im.parley. and lower case words joined by dots, not "
                    + checked);
        }
        if (!key.equals("conversation") && !key.equals("user")) {
            throw new IllegalArgumentException("--key is conversation or user, not " + key);
        }
        if (description == null) {
            description = frame != null ? "Handles the " + frame + " frame." : "Handles " + on + ".";
        }
        return new Request(name, frame, on != null ? on : type, key, ephemeral, on, broker == null ? "default" : broker,
                description);
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length || args[i].startsWith("--")) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }

    /** Writes the function; refuses, changing nothing, when any part of it would clash with what exists. */
    List<Path> generate() {
        String name = request.name();
        Path module = root.resolve("functions").resolve(name);
        if (Files.exists(module)) {
            throw new IllegalStateException(module + " exists: pick another name");
        }
        if (readJson(root.resolve("schemas/cloudevents/frames.schema.json")).path("$defs").has(name)
                || catalog.downstreamFrame(name).isPresent()) {
            throw new IllegalStateException("a '" + name + "' frame exists already: pick another name");
        }
        CatalogEntry entry;
        ObjectNode example;
        if (request.on() != null) {
            entry = catalog.entry(request.on()).orElseThrow(() -> new IllegalStateException(
                    request.on() + " is not in schemas/cloudevents/catalog.yaml"));
            if (!"broker".equals(entry.channel())) {
                throw new IllegalStateException(request.on() + " is not on a broker (channel " + entry.channel()
                        + "): no Trigger can deliver it");
            }
            example = validExample(entry.type());
        } else {
            if (catalog.entry(request.type()).isPresent()) {
                throw new IllegalStateException(request.type() + " is in the catalog already: use --on " + request.type());
            }
            if (catalog.frames().containsKey(request.frame())) {
                throw new IllegalStateException("clients send '" + request.frame() + "' already, as "
                        + catalog.frames().get(request.frame()).type());
            }
            if (catalog.brokers().stream().noneMatch(b -> b.name().equals(request.broker()))) {
                throw new IllegalStateException("no broker " + request.broker() + " in the catalog; there are "
                        + catalog.brokers().stream().map(EventCatalog.Broker::name).toList());
            }
            String base = request.type().substring(PREFIX.length());
            entry = new CatalogEntry(request.type(), request.frame(), request.description(), base + ".schema.json",
                    "broker", request.broker(), !request.ephemeral(), request.ephemeral() ? true : null, request.key(),
                    List.of("connection-tier"), List.of(name));
            example = newType(entry);
        }
        JsonNode data = example.path("data");
        ObjectNode schema = readJson(root.resolve("schemas/cloudevents").resolve(entry.schema()));
        frame(entry);
        addToCatalog(entry);
        module(entry, schema, data);
        deployment(entry);
        if (entry.frame() != null) {
            write(root.resolve("e2e/src/test/java/im/parley/e2e/" + className(name) + "FunctionIT.java"),
                    template("FunctionIT.java", entry, data));
        }
        return List.copyOf(written);
    }

    /** A new type's schema and its examples; returns the valid one. */
    private ObjectNode newType(CatalogEntry entry) {
        ObjectNode properties = JSON.createObjectNode();
        ArrayNode required = JSON.createArrayNode();
        if (entry.partitionKey().equals("conversation")) {
            properties.putObject("conversationId").put("$ref", "envelope.schema.json#/$defs/conversationId");
            required.add("conversationId");
        }
        properties.putObject("text").put("type", "string").put("minLength", 1).put("maxLength", 256);
        required.add("text");

        ObjectNode schema = JSON.createObjectNode();
        schema.put("$schema", "https://json-schema.org/draft/2020-12/schema");
        schema.put("$id", "https://schemas.parley.im/cloudevents/" + entry.schema());
        schema.put("title", entry.type());
        schema.put("description", entry.description());
        ArrayNode allOf = schema.putArray("allOf");
        allOf.addObject().put("$ref", "envelope.schema.json#/$defs/envelope");
        allOf.addObject().put("$ref", "envelope.schema.json#/$defs/clientOrigin");
        ObjectNode props = schema.putObject("properties");
        props.putObject("type").put("const", entry.type());
        ObjectNode data = props.putObject("data");
        data.put("type", "object");
        data.set("properties", properties);
        data.set("required", required);
        data.put("additionalProperties", false);
        write(root.resolve("schemas/cloudevents").resolve(entry.schema()), pretty(schema));

        ObjectNode valid = JSON.createObjectNode();
        valid.put("specversion", "1.0");
        valid.put("id", "7d0c1c7e-3c1f-4b7e-9a51-0f2d7c1b4a10");
        valid.put("source", "/parley/connection-tier/node-1");
        valid.put("type", entry.type());
        valid.put("time", "2026-11-23T10:15:30.123Z");
        valid.put("datacontenttype", "application/json");
        boolean byConversation = entry.partitionKey().equals("conversation");
        valid.put("partitionkey", byConversation ? "d:alice:bob" : "u:alice");
        valid.put("userid", "alice");
        valid.put("deviceid", "phone");
        valid.put("nodeid", "node-1");
        ObjectNode validData = valid.putObject("data");
        if (byConversation) {
            validData.put("conversationId", "d:alice:bob");
        }
        validData.put("text", "hello");
        Path examples = root.resolve("schemas/cloudevents/examples").resolve(entry.type().substring(PREFIX.length()));
        write(examples.resolve("valid-1.json"), pretty(valid));
        ObjectNode invalid = valid.deepCopy();
        ((ObjectNode) invalid.path("data")).remove("text");
        write(examples.resolve("invalid-without-text.json"), pretty(invalid));
        return valid;
    }

    private ObjectNode validExample(String type) {
        Path dir = root.resolve("schemas/cloudevents/examples").resolve(type.substring(PREFIX.length()));
        try (var files = Files.list(dir)) {
            Path first = files.filter(f -> f.getFileName().toString().startsWith("valid")).sorted().findFirst()
                    .orElseThrow(() -> new IllegalStateException("no valid example of " + type + " in " + dir));
            return readJson(first);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The frame the function sends, in a schema file of its own: {@code t} is its name, {@code d} the data of the
     * type it handles. The catalog's downstreamFrames entry names the file.
     */
    private void frame(CatalogEntry entry) {
        String t = request.name();
        ObjectNode def = JSON.createObjectNode();
        def.put("$schema", "https://json-schema.org/draft/2020-12/schema");
        def.put("$id", "https://schemas.parley.im/cloudevents/" + frameSchema());
        def.put("title", "The " + t + " frame");
        def.put("description", frameDescription(entry));
        def.put("type", "object");
        ObjectNode props = def.putObject("properties");
        props.putObject("v").put("const", 1);
        props.putObject("t").put("const", t);
        props.putObject("id").put("type", "string").put("minLength", 1).put("maxLength", 64);
        props.putObject("d").put("$ref", entry.schema() + "#/properties/data");
        def.putArray("required").add("v").add("t").add("d");
        def.put("additionalProperties", false);
        write(root.resolve("schemas/cloudevents").resolve(frameSchema()), pretty(def));
    }

    private String frameSchema() {
        return request.name() + ".frame.schema.json";
    }

    private String frameDescription(CatalogEntry entry) {
        return "Sent by the " + request.name() + " function: the data of " + entry.type() + ".";
    }

    /** The entry at the end of catalog.yaml (or the function among an existing type's consumers). */
    private void addToCatalog(CatalogEntry entry) {
        Path file = root.resolve("schemas/cloudevents/catalog.yaml");
        String yaml = read(file);
        yaml = addToList(yaml, "im.parley.delivery.batch", "producers", request.name());
        yaml = addFrameEntry(yaml, """
                  - name: %s
                    description: "%s"
                    schema: %s
                    producer: %s
                """.formatted(request.name(), frameDescription(entry), frameSchema(), request.name()));
        if (request.on() != null) {
            yaml = addToList(yaml, entry.type(), "consumers", request.name());
        } else {
            StringBuilder add = new StringBuilder();
            add.append("  - type: ").append(entry.type()).append('\n');
            add.append("    frame: ").append(entry.frame()).append('\n');
            add.append("    description: \"").append(entry.description().replace("\"", "\\\"")).append("\"\n");
            add.append("    schema: ").append(entry.schema()).append('\n');
            add.append("    channel: broker\n");
            add.append("    ordered: ").append(entry.ordered()).append('\n');
            if (entry.isEphemeral()) {
                add.append("    ephemeral: true\n");
            }
            add.append("    broker: ").append(entry.broker()).append('\n');
            add.append("    partitionKey: ").append(entry.partitionKey()).append('\n');
            add.append("    producers: [connection-tier]\n");
            add.append("    consumers: [").append(request.name()).append("]\n");
            yaml = (yaml.endsWith("\n") ? yaml : yaml + "\n") + add;
        }
        write(file, yaml);
    }

    /** Adds an entry at the end of the catalog's downstreamFrames, the section before its types. */
    static String addFrameEntry(String yaml, String frameEntry) {
        int types = yaml.indexOf("\ntypes:\n");
        if (types < 0 || !yaml.contains("\ndownstreamFrames:\n")) {
            throw new IllegalStateException("catalog.yaml has no downstreamFrames section before its types");
        }
        return yaml.substring(0, types + 1) + frameEntry + yaml.substring(types + 1);
    }

    /** Adds a value to the flow list {@code field: [a, b]} of one type's entry. */
    static String addToList(String yaml, String type, String field, String value) {
        Matcher entry = Pattern.compile("(?m)^  - type: " + Pattern.quote(type) + "\\n((?:    .*\\n)*)").matcher(yaml);
        if (!entry.find()) {
            throw new IllegalStateException(type + " has no entry in catalog.yaml");
        }
        Matcher list = Pattern.compile("(?m)^    " + field + ": \\[([^\\]]*)\\]").matcher(entry.group(1));
        if (!list.find()) {
            throw new IllegalStateException(type + " has no " + field + " list in catalog.yaml");
        }
        List<String> values = new ArrayList<>();
        for (String v : list.group(1).split(",")) {
            if (!v.isBlank()) {
                values.add(v.trim());
            }
        }
        if (values.contains(value)) {
            return yaml;
        }
        values.add(value);
        int start = entry.start(1) + list.start(1);
        int end = entry.start(1) + list.end(1);
        return yaml.substring(0, start) + String.join(", ", values) + yaml.substring(end);
    }

    private void module(CatalogEntry entry, ObjectNode schema, JsonNode data) {
        String name = request.name();
        Path module = root.resolve("functions").resolve(name);
        String java = "src/main/java/" + javaPackage(name).replace('.', '/') + "/";
        String test = "src/test/java/" + javaPackage(name).replace('.', '/') + "/";
        write(module.resolve("pom.xml"), template("pom.xml", entry, data));
        write(module.resolve(java + className(name) + "Function.java"), template("Function.java", entry, data));
        write(module.resolve(java + className(name) + "Configuration.java"), template("Configuration.java", entry, data));
        write(module.resolve(java + dataClass(entry.type()) + ".java"), template("Data.java", entry, data)
                .replace("{{components}}", components(schema)));
        write(module.resolve("src/main/resources/META-INF/parley-function.properties"),
                template("parley-function.properties", entry, data));
        write(module.resolve(test + className(name) + "FunctionTest.java"), template("FunctionTest.java", entry, data));

        insertAfterLast(root.resolve("pom.xml"), "    <module>functions/",
                "    <module>functions/" + name + "</module>\n");
        insertAfterLast(root.resolve("local-stack/launcher/pom.xml"), "      <artifactId>parley-function-", """
                    <dependency>
                      <groupId>im.parley</groupId>
                      <artifactId>parley-function-%s</artifactId>
                      <version>${project.version}</version>
                    </dependency>
                """.formatted(name), "    </dependency>\n");
    }

    private void deployment(CatalogEntry entry) {
        String name = request.name();
        write(root.resolve("manifests/base/functions/" + name + ".yaml"), template("service.yaml", entry, null));
        write(root.resolve("manifests/base/eventing/triggers/" + name + ".yaml"),
                "# " + name + ": " + request.description() + "\n" + template("trigger.yaml", entry, null));
        write(root.resolve("keda/" + name + ".yaml"), template("keda.yaml", entry, null));
        insertAfterLast(root.resolve("manifests/base/functions/kustomization.yaml"), "  - ",
                "  - " + name + ".yaml\n", null, "  - network-policy.yaml");
        insertAfterLast(root.resolve("manifests/base/eventing/kustomization.yaml"), "  - triggers/",
                "  - triggers/" + name + ".yaml\n");
        insertAfterLast(root.resolve("keda/kustomization.yaml"), "  - ", "  - " + name + ".yaml\n");
    }

    /** The project's Java for a record's components, from the data part of a type's schema. */
    private String components(ObjectNode schema) {
        JsonNode properties = schema.path("properties").path("data").path("properties");
        List<String> components = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = properties.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> p = it.next();
            components.add(javaType(p.getValue()) + " " + p.getKey());
        }
        return String.join(", ", components);
    }

    private String javaType(JsonNode property) {
        JsonNode resolved = property;
        String ref = property.path("$ref").asText("");
        if (ref.startsWith("envelope.schema.json#/$defs/")) {
            resolved = readJson(root.resolve("schemas/cloudevents/envelope.schema.json")).path("$defs")
                    .path(ref.substring(ref.lastIndexOf('/') + 1));
        }
        String type = resolved.path("type").asText(resolved.has("enum") ? "string" : "");
        return switch (type) {
            case "string" -> "String";
            case "integer" -> "long";
            case "number" -> "double";
            case "boolean" -> "boolean";
            case "array" -> "java.util.List<Object>";
            default -> "java.util.Map<String, Object>";
        };
    }

    private String template(String file, CatalogEntry entry, JsonNode data) {
        String name = request.name();
        Map<String, String> values = new LinkedHashMap<>();
        values.put("{{name}}", name);
        values.put("{{Name}}", className(name));
        values.put("{{bean}}", Character.toLowerCase(className(name).charAt(0)) + className(name).substring(1));
        values.put("{{package}}", javaPackage(name));
        values.put("{{type}}", entry.type());
        values.put("{{Data}}", dataClass(entry.type()));
        values.put("{{schema}}", entry.schema());
        values.put("{{frame}}", String.valueOf(entry.frame()));
        values.put("{{reply}}", name);
        values.put("{{description}}", request.description());
        values.put("{{broker}}", entry.broker());
        values.put("{{order}}", Boolean.TRUE.equals(entry.ordered()) ? "ordered" : "unordered");
        values.put("{{trigger}}", triggerName(name, entry.type()));
        values.put("{{keyspace}}", name.replace('-', '_'));
        values.put("{{exampleJson}}", data == null ? "" : javaString(data.toString()));
        String text = resource(file + ".tmpl");
        for (Map.Entry<String, String> v : values.entrySet()) {
            text = text.replace(v.getKey(), v.getValue());
        }
        return text;
    }

    private static String resource(String file) {
        try (InputStream in = NewFunction.class.getResourceAsStream("/scaffold/" + file)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String triggerName(String function, String type) {
        String rest = type.substring(PREFIX.length());
        String own = function.replace('-', '.') + ".";
        return function + "-" + (rest.startsWith(own) ? rest.substring(own.length()) : rest).replace('.', '-');
    }

    static String className(String name) {
        return java.util.Arrays.stream(name.split("-"))
                .map(w -> w.substring(0, 1).toUpperCase(Locale.ROOT) + w.substring(1)).collect(Collectors.joining());
    }

    static String javaPackage(String name) {
        return "im.parley." + name.replace("-", "");
    }

    /** im.parley.typing.sent: TypingSent. */
    static String dataClass(String type) {
        String[] words = type.substring(PREFIX.length()).split("\\.");
        String last = words.length >= 2 ? words[words.length - 2] + "-" + words[words.length - 1] : words[0];
        return className(last);
    }

    private static String javaString(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    /** Inserts {@code text} after the line block that starts at the last line beginning with {@code marker}. */
    private void insertAfterLast(Path file, String marker, String text) {
        insertAfterLast(file, marker, text, null, null);
    }

    private void insertAfterLast(Path file, String marker, String text, String blockEnd) {
        insertAfterLast(file, marker, text, blockEnd, null);
    }

    /**
     * @param blockEnd  when set, the text goes after the first line equal to it that follows the marker's line
     * @param before    when set and present, the text goes before this line instead
     */
    private void insertAfterLast(Path file, String marker, String text, String blockEnd, String before) {
        String content = read(file);
        int at;
        if (before != null && content.contains("\n" + before + "\n")) {
            at = content.indexOf("\n" + before + "\n") + 1;
        } else {
            int line = content.lastIndexOf("\n" + marker);
            if (line < 0) {
                throw new IllegalStateException(file + " has no line starting " + marker.strip());
            }
            at = content.indexOf('\n', line + 1) + 1;
            if (blockEnd != null) {
                at = content.indexOf(blockEnd, at) + blockEnd.length();
            }
            if (at == 0) {
                at = content.length();
            }
        }
        write(file, content.substring(0, at) + text + content.substring(at));
    }

    private void write(Path file, String content) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Path relative = root.relativize(file);
        if (!written.contains(relative)) {
            written.add(relative);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ObjectNode readJson(Path file) {
        try {
            return (ObjectNode) JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    static String pretty(JsonNode node) {
        try {
            return PRETTY.writeValueAsString(node) + "\n";
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
