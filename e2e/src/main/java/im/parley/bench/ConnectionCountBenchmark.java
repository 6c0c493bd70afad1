package im.parley.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import im.parley.eventing.EventJson;
import im.parley.stack.KafkaServer;
import im.parley.stack.Ports;
import im.parley.stack.RedisServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Target P2: connections held on this machine by several connection-tier processes sharing one port
 * (SO_REUSEPORT, as several pods on one node), with heartbeats running. One process may hold at most 20,000
 * files here, so the clients are spread over processes too, each bound to its own 127.0.0.x source address.
 *
 * <p>Run: ./parley bench connection-count [total] [tierProcesses] [clientProcesses] [holdSeconds] [pingSeconds]
 */
public final class ConnectionCountBenchmark {

    /**
     * Dozens of tier JVMs share two cores here: C1 alone compiles each one's hot path for a fraction of what C2
     * spends, and the handshake path is short. A pod with cores of its own keeps the default tiered compiler.
     */
    static final List<String> TIER_JVM = ConnectionMemoryBenchmark.jvm("-Xms32m", "-Xmx448m", "-XX:+UseSerialGC", "-Xss256k",
            "-XX:TieredStopAtLevel=1");
    static final List<String> CLIENT_JVM = ConnectionMemoryBenchmark.jvm("-Xms32m", "-Xmx448m", "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1");

    public static void main(String[] args) throws Exception {
        int total = args.length > 0 ? Integer.parseInt(args[0]) : 500_000;
        int tiers = args.length > 1 ? Integer.parseInt(args[1]) : 30;
        int clients = args.length > 2 ? Integer.parseInt(args[2]) : 28;
        int holdSeconds = args.length > 3 ? Integer.parseInt(args[3]) : 130;
        int pingSeconds = args.length > 4 ? Integer.parseInt(args[4]) : 60;
        int perClient = (int) Math.ceil(total / (double) clients);
        if (perClient > 19_000) {
            throw new IllegalArgumentException(perClient + " connections per client process is over the open-file limit");
        }
        int port = Ports.free();
        List<BenchProcess> tierProcesses = new ArrayList<>();
        List<Integer> adminPorts = new ArrayList<>();
        List<BenchProcess> clientProcesses = new ArrayList<>();
        try (KafkaServer kafka = KafkaServer.ephemeral(); RedisServer redis = RedisServer.ephemeral()) {
            kafka.start();
            redis.start();
            kafka.createTopic("knative-broker-parley-default", 12);
            for (int i = 0; i < tiers; i++) {
                int admin = Ports.free();
                adminPorts.add(admin);
                tierProcesses.add(BenchProcess.java(TIER_JVM, "im.parley.connection.ConnectionTier", List.of(), Map.ofEntries(
                        Map.entry("PARLEY_NODE_ID", "count-" + i), Map.entry("PARLEY_HOST", "127.0.0.1"),
                        Map.entry("PARLEY_PORT", String.valueOf(port)), Map.entry("PARLEY_ADMIN_PORT", String.valueOf(admin)),
                        Map.entry("PARLEY_KAFKA_BOOTSTRAP", kafka.bootstrapServers()), Map.entry("PARLEY_REDIS_URI", redis.uri()),
                        Map.entry("PARLEY_JWT_SECRET", ConnectionMemoryBenchmark.SECRET),
                        // One socket thread per process: there are far more processes than cores.
                        Map.entry("PARLEY_IO_THREADS", "1"),
                        // Heartbeats run during the hold: a ping after each quiet interval, a close after 2.5 of them.
                        Map.entry("PARLEY_PING_INTERVAL", "PT" + pingSeconds + "S"),
                        Map.entry("PARLEY_IDLE_TIMEOUT", "PT" + (pingSeconds * 5 / 2) + "S"),
                        // Presence refreshes every TTL/3; at this scale the default 90 s would be 33k Redis writes/s.
                        Map.entry("PARLEY_PRESENCE_TTL", "PT300S"))));
            }
            for (BenchProcess tier : tierProcesses) {
                tier.await("listening on", 120);
            }
            System.out.printf("%d tier processes share port %d%n", tiers, port);
            long t0 = System.nanoTime();
            int connected = 0;
            int failed = 0;
            // One client process at a time: started all at once, dozens of JVMs warming up on two cores starve
            // the handshakes, and the run measures the machine's scheduler instead of the tier.
            for (int c = 0; c < clients; c++) {
                int count = Math.min(perClient, total - c * perClient);
                BenchProcess client = BenchProcess.java(CLIENT_JVM, IdleClients.class.getName(), List.of("127.0.0.1",
                        String.valueOf(port), String.valueOf(count), "c" + c + "-", ConnectionMemoryBenchmark.SECRET,
                        "127.0.0." + (2 + c)), Map.of());
                clientProcesses.add(client);
                Matcher m = Pattern.compile("CONNECTED (\\d+) FAILED (\\d+)").matcher(client.await("CONNECTED", 900));
                if (m.find()) {
                    connected += Integer.parseInt(m.group(1));
                    failed += Integer.parseInt(m.group(2));
                }
                System.out.printf(Locale.ROOT, "  %d connected, %d failed after %.0f s%n", connected, failed,
                        (System.nanoTime() - t0) / 1e9);
            }
            double openSeconds = (System.nanoTime() - t0) / 1e9;
            System.out.printf(Locale.ROOT, "opened %d (failed %d) in %.0f s%n", connected, failed, openSeconds);
            List<Long> before = held(adminPorts);
            System.out.printf("holding %d s with heartbeats running…%n", holdSeconds);
            double tierCpu0 = cpuSeconds(tierProcesses);
            double clientCpu0 = cpuSeconds(clientProcesses);
            Thread.sleep(holdSeconds * 1000L);
            // What holding costs: heartbeats (and presence refreshes) are all the tiers do while clients idle.
            double tierCpuShare = (cpuSeconds(tierProcesses) - tierCpu0) / holdSeconds;
            double clientCpuShare = (cpuSeconds(clientProcesses) - clientCpu0) / holdSeconds;
            List<Long> after = held(adminPorts);
            long heldBefore = before.stream().mapToLong(Long::longValue).sum();
            long heldAfter = after.stream().mapToLong(Long::longValue).sum();
            long tierRss = 0;
            for (BenchProcess tier : tierProcesses) {
                tierRss += tier.rssBytes();
            }
            long clientRss = 0;
            for (BenchProcess client : clientProcesses) {
                clientRss += client.rssBytes();
            }
            long min = after.stream().mapToLong(Long::longValue).min().orElse(0);
            long max = after.stream().mapToLong(Long::longValue).max().orElse(0);
            System.out.println();
            System.out.printf(Locale.ROOT, "| Connections held after %d s of heartbeats | %d of %d (before the hold: %d) |%n",
                    holdSeconds, heldAfter, total, heldBefore);
            System.out.printf(Locale.ROOT, "| Tier processes on one port | %d (each held %d–%d) |%n", tiers, min, max);
            System.out.printf(Locale.ROOT, "| Time to open | %.0f s (%.0f connections/s) |%n", openSeconds, connected / openSeconds);
            System.out.printf(Locale.ROOT, "| RSS of all tier processes | %.2f GB (%.1f KB per connection, JVMs included) |%n",
                    tierRss / 1e9, tierRss / 1024.0 / Math.max(1, heldAfter));
            System.out.printf(Locale.ROOT, "| RSS of all client processes | %.2f GB |%n", clientRss / 1e9);
            double pingsPerSecond = heldAfter / (double) pingSeconds;
            System.out.printf(Locale.ROOT, "| CPU while holding | tiers %.2f cores (%.0f µs per ping and its pong), clients %.2f cores |%n",
                    tierCpuShare, tierCpuShare * 1e6 / Math.max(1, pingsPerSecond), clientCpuShare);
            Path dir = Files.createDirectories(Path.of("e2e/target/bench"));
            ObjectNode json = EventJson.MAPPER.createObjectNode().put("benchmark", "connection-count")
                    .put("target", total).put("tierProcesses", tiers).put("clientProcesses", clients)
                    .put("connected", connected).put("failed", failed).put("openSeconds", openSeconds)
                    .put("heldBeforeHold", heldBefore).put("heldAfterHold", heldAfter).put("holdSeconds", holdSeconds)
                    .put("pingSeconds", pingSeconds).put("tierRssBytes", tierRss).put("clientRssBytes", clientRss)
                    .put("tierCoresWhileHolding", tierCpuShare).put("clientCoresWhileHolding", clientCpuShare);
            json.putPOJO("tierJvmFlags", TIER_JVM);
            json.putPOJO("heldPerTier", after);
            EventJson.MAPPER.writerWithDefaultPrettyPrinter().writeValue(dir.resolve("connection-count.json").toFile(), json);
        } finally {
            clientProcesses.forEach(BenchProcess::close);
            tierProcesses.forEach(BenchProcess::close);
        }
    }

    private static double cpuSeconds(List<BenchProcess> processes) throws Exception {
        double sum = 0;
        for (BenchProcess process : processes) {
            sum += process.cpuSeconds();
        }
        return sum;
    }

    /** Each tier's own count of open authenticated connections, from its metrics. */
    private static List<Long> held(List<Integer> adminPorts) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        List<Long> counts = new ArrayList<>();
        Pattern gauge = Pattern.compile("(?m)^parley_connections(?:\\{[^}]*\\})? ([0-9.E]+)");
        for (int admin : adminPorts) {
            String body = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + admin + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            Matcher m = gauge.matcher(body);
            counts.add(m.find() ? (long) Double.parseDouble(m.group(1)) : 0L);
        }
        return counts;
    }

    private ConnectionCountBenchmark() {
    }
}
