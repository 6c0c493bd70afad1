package im.parley.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import im.parley.eventing.EventJson;
import im.parley.stack.KafkaServer;
import im.parley.stack.Ports;
import im.parley.stack.RedisServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Target P1: memory per idle authenticated connection in the connection tier, against a bare Netty
 * WebSocket server measured in the same run, with the same JVM flags. Heap is measured after a full GC;
 * RSS from /proc. Each figure is the median over the runs.
 *
 * <p>Run: ./parley bench connection-memory [connections] [runs]
 */
public final class ConnectionMemoryBenchmark {

    static final String SECRET = "benchmark-secret-that-is-at-least-32-bytes";
    static final List<String> SERVER_JVM = jvm("-Xms64m", "-Xmx1g", "-XX:+UseG1GC");

    /** Flags for the JVMs a benchmark starts, plus any in PARLEY_BENCH_JVM_FLAGS (for example a JFR recording). */
    static List<String> jvm(String... flags) {
        List<String> all = new ArrayList<>(List.of(flags));
        String extra = System.getenv("PARLEY_BENCH_JVM_FLAGS");
        if (extra != null && !extra.isBlank()) {
            all.addAll(List.of(extra.trim().split("\\s+")));
        }
        return all;
    }

    record Sample(String server, int connections, double heapBytesPerConnection, double rssBytesPerConnection,
                  double connectSeconds) {
    }

    public static void main(String[] args) throws Exception {
        int connections = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        List<Sample> samples = new ArrayList<>();
        try (KafkaServer kafka = KafkaServer.ephemeral(); RedisServer redis = RedisServer.ephemeral()) {
            System.out.println("starting Kafka and Redis for the connection tier");
            kafka.start();
            redis.start();
            kafka.createTopic("knative-broker-parley-default", 12);
            for (int run = 1; run <= runs; run++) {
                for (String server : List.of("bare-netty", "parley")) {
                    Sample s = measure(server, connections, kafka, redis, run);
                    samples.add(s);
                    System.out.printf(Locale.ROOT, "run %d %-10s %6d connections: heap %6.0f B/conn, RSS %6.0f B/conn, "
                                    + "opened in %.1f s%n", run, server, s.connections(), s.heapBytesPerConnection(),
                            s.rssBytesPerConnection(), s.connectSeconds());
                }
            }
        }
        report(samples, connections, runs);
    }

    private static Sample measure(String server, int connections, KafkaServer kafka, RedisServer redis, int run)
            throws Exception {
        int port = Ports.free();
        boolean parley = server.equals("parley");
        BenchProcess process = parley
                ? BenchProcess.java(SERVER_JVM, "im.parley.connection.ConnectionTier", List.of(), Map.of(
                        "PARLEY_NODE_ID", "bench-" + run, "PARLEY_HOST", "127.0.0.1", "PARLEY_PORT", String.valueOf(port),
                        "PARLEY_ADMIN_PORT", "0", "PARLEY_KAFKA_BOOTSTRAP", kafka.bootstrapServers(),
                        "PARLEY_REDIS_URI", redis.uri(), "PARLEY_JWT_SECRET", SECRET))
                : BenchProcess.java(SERVER_JVM, BareWebSocketServer.class.getName(), List.of(String.valueOf(port)), Map.of());
        try (process) {
            process.await(parley ? "listening on" : "READY", 60);
            Thread.sleep(1000);
            long heap0 = process.heapAfterGc();
            long rss0 = process.rssBytes();
            try (BenchProcess clients = BenchProcess.java(jvm("-Xmx1g"), IdleClients.class.getName(),
                    List.of("127.0.0.1", String.valueOf(port), String.valueOf(connections), "u" + run + "-",
                            parley ? SECRET : "-"), Map.of())) {
                String line = clients.await("CONNECTED", 240);
                Matcher m = Pattern.compile("CONNECTED (\\d+) FAILED (\\d+) SECONDS ([\\d.]+)").matcher(line);
                if (!m.find()) {
                    throw new IllegalStateException("unexpected client output: " + line);
                }
                int connected = Integer.parseInt(m.group(1));
                if (connected < connections) {
                    throw new IllegalStateException(server + ": only " + connected + " of " + connections + " connected");
                }
                Thread.sleep(2000);
                long heap1 = process.heapAfterGc();
                long rss1 = process.rssBytes();
                return new Sample(server, connected, (heap1 - heap0) / (double) connected,
                        (rss1 - rss0) / (double) connected, Double.parseDouble(m.group(3)));
            }
        }
    }

    private static void report(List<Sample> samples, int connections, int runs) throws Exception {
        Map<String, Double> heap = new LinkedHashMap<>();
        Map<String, Double> rss = new LinkedHashMap<>();
        for (String server : List.of("bare-netty", "parley")) {
            heap.put(server, Stats.median(samples.stream().filter(s -> s.server().equals(server))
                    .map(Sample::heapBytesPerConnection).toList()));
            rss.put(server, Stats.median(samples.stream().filter(s -> s.server().equals(server))
                    .map(Sample::rssBytesPerConnection).toList()));
        }
        double heapRatio = heap.get("parley") / heap.get("bare-netty");
        double rssRatio = rss.get("parley") / rss.get("bare-netty");
        System.out.println();
        System.out.printf(Locale.ROOT, "| Server | Heap per connection (median) | RSS per connection (median) |%n");
        System.out.printf(Locale.ROOT, "|---|---|---|%n");
        System.out.printf(Locale.ROOT, "| bare Netty WebSocket | %.2f KB | %.2f KB |%n", heap.get("bare-netty") / 1024,
                rss.get("bare-netty") / 1024);
        System.out.printf(Locale.ROOT, "| Parley connection tier (authenticated) | %.2f KB | %.2f KB |%n",
                heap.get("parley") / 1024, rss.get("parley") / 1024);
        System.out.printf(Locale.ROOT, "| ratio | %.2f× | %.2f× |%n", heapRatio, rssRatio);

        Path dir = Files.createDirectories(Path.of("e2e/target/bench"));
        ObjectNode json = EventJson.MAPPER.createObjectNode().put("benchmark", "connection-memory")
                .put("connectionsPerRun", connections).put("runs", runs)
                .put("heapRatio", heapRatio).put("rssRatio", rssRatio);
        ObjectNode medians = json.putObject("medianBytesPerConnection");
        heap.forEach((k, v) -> medians.putObject(k).put("heap", v).put("rss", rss.get(k)));
        ArrayNode all = json.putArray("samples");
        samples.forEach(s -> all.addPOJO(s));
        EventJson.MAPPER.writerWithDefaultPrettyPrinter().writeValue(dir.resolve("connection-memory.json").toFile(), json);
        Map<String, LinkedHashMap<String, Double>> chart = new LinkedHashMap<>();
        chart.put("heap per connection", new LinkedHashMap<>(Map.of()));
        chart.put("RSS per connection", new LinkedHashMap<>(Map.of()));
        for (String server : List.of("bare-netty", "parley")) {
            chart.get("heap per connection").put(server, heap.get(server) / 1024);
            chart.get("RSS per connection").put(server, rss.get(server) / 1024);
        }
        BarChart.write(dir.resolve("connection-memory.png"), "Idle connection memory, median of " + runs + " runs ("
                + connections + " connections)", "KB", chart);
        System.out.println("wrote " + dir.resolve("connection-memory.json") + " and connection-memory.png");
    }

    private ConnectionMemoryBenchmark() {
    }
}
