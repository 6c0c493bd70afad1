package im.parley.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import im.parley.eventing.EventJson;
import im.parley.eventing.binding.HttpBinding;
import im.parley.functions.hosting.FunctionHttpServer;
import im.parley.stack.Ports;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

/**
 * P7: a function process from exec to its first event handled (the no-op function of {@link DispatchBenchmark},
 * served by {@link FunctionHttpServer} as a Knative Service runs it), on the build's JDK 17 and on the Temurin 25
 * installed beside it; each plain, and with the class data recorded by one training start that an image build
 * would run: AppCDS on 17, the AOT cache (JEP 483/514: classes loaded and linked, method profiles) on 25.
 * Run: ./parley bench cold-start [runs]
 */
public final class ColdStartBenchmark {

    static final List<String> SERVICE_FLAGS = List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");
    static final Path JAVA_25 = Path.of("/usr/lib/jvm/temurin-25-jdk-amd64");

    record Variant(String name, Path javaHome, List<String> training, List<String> flags) {
    }

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        Path work = Files.createTempDirectory("parley-cold-start");
        Path java17 = Path.of(System.getProperty("java.home"));
        List<Variant> variants = new ArrayList<>(List.of(
                new Variant("JDK " + Runtime.version().feature(), java17, null, List.of()),
                new Variant("JDK " + Runtime.version().feature() + " + AppCDS", java17,
                        List.of("-XX:ArchiveClassesAtExit=" + work.resolve("function.jsa")),
                        List.of("-XX:SharedArchiveFile=" + work.resolve("function.jsa")))));
        if (Files.isExecutable(JAVA_25.resolve("bin/java"))) {
            variants.add(new Variant("JDK 25", JAVA_25, null, List.of()));
            variants.add(new Variant("JDK 25 + AOT cache", JAVA_25,
                    List.of("-XX:AOTCacheOutput=" + work.resolve("function.aot")),
                    List.of("-XX:AOTCache=" + work.resolve("function.aot"))));
        } else {
            System.out.println("no JDK 25 at " + JAVA_25 + ": measuring the build's JDK only");
        }
        ObjectNode json = EventJson.MAPPER.createObjectNode().put("benchmark", "cold-start")
                .put("date", java.time.Instant.now().toString()).put("runs", runs)
                .put("function", "no-op, FunctionHttpServer").putPOJO("flags", SERVICE_FLAGS);
        Map<String, LinkedHashMap<String, Double>> chart = new LinkedHashMap<>();
        LinkedHashMap<String, Double> bars = new LinkedHashMap<>();
        chart.put("exec to first event handled (ms), median", bars);
        for (Variant variant : variants) {
            if (variant.training() != null) {
                execToFirstEvent(work, variant.javaHome(), variant.training());
            }
            List<Double> samples = new ArrayList<>();
            for (int i = 0; i < runs; i++) {
                samples.add(execToFirstEvent(work, variant.javaHome(), variant.flags()));
            }
            double median = Stats.median(samples);
            bars.put(variant.name(), median);
            json.withObject("/variants").putObject(variant.name()).put("medianMs", median).putPOJO("samplesMs", samples);
            System.out.printf(Locale.ROOT, "%-20s exec to first event handled: median %.0f ms (%s)%n", variant.name(), median,
                    GroupFanout.fmt(samples));
        }
        Files.createDirectories(MessagingBenchmark.OUT);
        EventJson.MAPPER.writerWithDefaultPrettyPrinter().writeValue(MessagingBenchmark.OUT.resolve("cold-start.json").toFile(), json);
        BarChart.write(MessagingBenchmark.OUT.resolve("cold-start.png"), "Function cold start, median of " + runs, "ms", chart);
        System.out.println("wrote " + MessagingBenchmark.OUT.resolve("cold-start.json"));
    }

    /** From exec of a function's JVM to its first event answered 202, with the Knative Services' flags. */
    static double execToFirstEvent(Path work, Path javaHome, List<String> extraFlags) throws Exception {
        int port = Ports.free();
        List<String> command = new ArrayList<>(List.of(javaHome.resolve("bin/java").toString()));
        command.addAll(SERVICE_FLAGS);
        command.addAll(extraFlags);
        command.addAll(List.of("-cp", jarsOnly(work), FunctionHttpServer.class.getName()));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true).redirectOutput(work.resolve("cold-start.log").toFile());
        builder.environment().put("PORT", Integer.toString(port));
        builder.environment().put("PARLEY_FUNCTION", DispatchBenchmark.NOOP.service());
        // The client posts directly, as no dispatcher: the start-up is measured, not the sender check.
        builder.environment().put("PARLEY_EVENT_AUTH", "none");
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(200)).build();
        HttpBinding.HttpMessage message = HttpBinding.binary(DispatchBenchmark.event("cold", "k", null));
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(message.body()));
        message.headers().forEach(request::header);
        long start = System.nanoTime();
        Process process = builder.start();
        try {
            while (true) {
                try {
                    if (http.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 202) {
                        return (System.nanoTime() - start) / 1e6;
                    }
                } catch (java.io.IOException notYet) {
                    Thread.sleep(5);
                }
                if (!process.isAlive() || System.nanoTime() - start > TimeUnit.SECONDS.toNanos(60)) {
                    throw new IllegalStateException("function process did not answer; see " + work.resolve("cold-start.log"));
                }
            }
        } finally {
            // SIGTERM: the JVM exits normally, so a training start writes its archive or cache.
            process.destroy();
            process.waitFor(30, TimeUnit.SECONDS);
        }
    }

    /**
     * The class path with each directory packed as a jar: class data sharing and the AOT cache refuse a class path
     * with a non-empty directory in it, and an image has jars only anyway.
     */
    static String jarsOnly(Path work) throws IOException {
        List<String> entries = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path path = Path.of(entry);
            if (!Files.isDirectory(path)) {
                entries.add(entry);
                continue;
            }
            Path jar = work.resolve("classes-" + Integer.toHexString(path.toAbsolutePath().hashCode()) + ".jar");
            if (!Files.exists(jar)) {
                try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar)); Stream<Path> files = Files.walk(path)) {
                    for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                        out.putNextEntry(new JarEntry(path.relativize(file).toString().replace(File.separatorChar, '/')));
                        Files.copy(file, out);
                        out.closeEntry();
                    }
                }
            }
            entries.add(jar.toString());
        }
        return String.join(File.pathSeparator, entries);
    }

    private ColdStartBenchmark() {
    }
}
