package im.parley.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.datastax.oss.driver.api.core.CqlSession;
import im.parley.cassandra.CassandraSessions;
import im.parley.cassandra.CassandraSettings;
import im.parley.eventing.EventJson;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The messaging targets through the system as users run it: {@code ./parley up} in its own processes, driven by
 * client processes over real WebSockets (see {@link ParleyStack}, {@link ChatClients}). Each figure is the median of
 * several runs, each beside a baseline measured in the same run, with the CPU every process used per message.
 * <ul>
 *   <li>P3: 1:1 latency from send to the recipient's socket, at steady rates; baseline: one bare Kafka hop at the
 *       same rate on the same broker ({@link KafkaHop}).</li>
 *   <li>P4: sustained 1:1 throughput: rising offered rates; a rate is sustained when every message is acked (so
 *       stored) and received, none twice, and the last within 2 s of the last send.</li>
 *   <li>P5 and P6: see {@link GroupFanout} and {@link CatchUp}.</li>
 * </ul>
 * Run: ./parley bench messaging [--rates 50,1000] [--seconds 20] [--runs 3] [--throughput 1000,2000,3000]
 *      [--pairs 100] [--group 10000] [--phases p3,p4,p5,p6] [--jfr]
 */
public final class MessagingBenchmark {

    static final Path OUT = Path.of("docs/benchmarks");
    static final int PORT_OFFSET = 400;

    private final Options options;
    private final ObjectNode json = EventJson.MAPPER.createObjectNode();
    private ParleyStack stack;
    private BenchProcess clients;
    private final Path work;

    record Options(int[] rates, int seconds, int runs, int[] throughput, int pairs, int group, List<String> phases,
                   boolean jfr) {

        static Options parse(String[] args) {
            Map<String, String> given = new LinkedHashMap<>();
            for (int i = 0; i < args.length; i++) {
                if (args[i].equals("--jfr")) {
                    given.put("jfr", "true");
                } else if (args[i].startsWith("--") && i + 1 < args.length) {
                    given.put(args[i].substring(2), args[++i]);
                } else {
                    throw new IllegalArgumentException("unknown argument " + args[i] + "; see the class comment");
                }
            }
            return new Options(ints(given.getOrDefault("rates", "50,1000")), Integer.parseInt(given.getOrDefault("seconds", "20")),
                    Integer.parseInt(given.getOrDefault("runs", "3")), ints(given.getOrDefault("throughput", "1000,2000,3000")),
                    Integer.parseInt(given.getOrDefault("pairs", "100")), Integer.parseInt(given.getOrDefault("group", "10000")),
                    List.of(given.getOrDefault("phases", "p3,p4,p5,p6").split(",")), given.containsKey("jfr"));
        }

        private static int[] ints(String csv) {
            return Arrays.stream(csv.split(",")).mapToInt(Integer::parseInt).toArray();
        }
    }

    private MessagingBenchmark(Options options) throws Exception {
        this.options = options;
        this.work = Files.createTempDirectory("parley-bench-");
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 2 && args[0].equals("--plot")) {
            plot((ObjectNode) EventJson.MAPPER.readTree(Path.of(args[1]).toFile()));
            return;
        }
        MessagingBenchmark bench = new MessagingBenchmark(Options.parse(args));
        try {
            bench.run();
        } finally {
            bench.stop();
        }
        System.exit(0);
    }

    private void run() throws Exception {
        json.put("benchmark", "messaging").put("date", Instant.now().toString()).put("runs", options.runs())
                .put("machine", Runtime.getRuntime().availableProcessors() + " cores")
                .put("stack", "./parley up: launcher JVM (connection tier, eventing runtime, functions), Kafka, Redis,"
                        + " Cassandra; clients in their own processes");
        stack = ParleyStack.up(work.resolve("stack"), PORT_OFFSET, Map.of());
        System.out.println("stack up: " + stack.processes());
        clients = BenchProcess.java(List.of("-Xmx512m", "-XX:+UseParallelGC"), ChatClients.class.getName(),
                List.of("127.0.0.1", Integer.toString(stack.webSocketPort()), stack.secret(), "b", Integer.toString(options.pairs()),
                        work.resolve("clients").toString()), Map.of());
        clients.await("ready", 300);
        System.out.println(options.pairs() + " pairs of friends connected");
        if (options.phases().contains("p3") || options.phases().contains("p4")) {
            warmUp();
        }
        if (options.phases().contains("p3")) {
            for (int rate : options.rates()) {
                latency(rate);
            }
        }
        if (options.phases().contains("p4")) {
            throughput();
        }
        if (options.phases().contains("p5") || options.phases().contains("p6")) {
            try (CqlSession cql = CassandraSessions.connectToKeyspace(CassandraSettings.local("127.0.0.1", stack.cassandraPort(),
                    "datacenter1")); BenchSockets sockets = new BenchSockets("127.0.0.1", stack.webSocketPort(), stack.secret(), 1)) {
                if (options.phases().contains("p6")) {
                    new CatchUp(cql, sockets).run(options.runs(), json, stack.processes(),
                            options.jfr() ? work.resolve("jfr") : null);
                }
                if (options.phases().contains("p5")) {
                    new GroupFanout(stack, cql, sockets).run(options.group(), options.runs(), json,
                            options.jfr() ? work.resolve("jfr") : null);
                }
            }
        }
        Files.createDirectories(OUT);
        EventJson.MAPPER.writerWithDefaultPrettyPrinter().writeValue(OUT.resolve("messaging.json").toFile(), json);
        plot(json);
        System.out.println("wrote " + OUT.resolve("messaging.json"));
        if (options.jfr()) {
            System.out.println("flight recordings of the measured runs in " + work.resolve("jfr"));
        }
    }

    /**
     * One run of the chat clients, with the CPU each process used while it lasted, the machine's run queue (vmstat),
     * and, with --jfr, a flight recording of each JVM of the stack over the run.
     */
    private ObjectNode chat(String id, int rate, int count) throws Exception {
        boolean profiled = options.jfr() && !id.startsWith("warm");
        if (profiled) {
            Flight.start(stack.processes().values());
        }
        Cpu before = Cpu.sample(processes());
        long t0 = System.nanoTime();
        ObjectNode result;
        try (BenchProcess vmstat = BenchProcess.start(List.of("vmstat", "-n", "1"), Map.of())) {
            clients.tell("run " + id + " " + rate + " " + count);
            String done = clients.await("done " + id + " ", count / rate + 120);
            double seconds = (System.nanoTime() - t0) / 1e9;
            result = (ObjectNode) EventJson.MAPPER.readTree(done.substring(done.indexOf('{')));
            Cpu used = Cpu.sample(processes()).since(before);
            used.describe(result.putObject("cpu"), seconds, count);
            result.put("jitCompilerSeconds", used.compilerSeconds());
            Vmstat.describe(result.putObject("vmstat"), vmstat.output());
        }
        if (profiled) {
            Files.createDirectories(work.resolve("jfr"));
            Flight.stop(stack.processes(), work.resolve("jfr"), id);
        }
        return result;
    }

    /**
     * Traffic at rates the stack sustains until the JIT compilers of all processes, under that traffic, use under a
     * tenth of a core (at most 8 rounds): on two cores they take more CPU than the traffic itself for minutes after
     * a start, and they wake again for code that idle time never ran.
     */
    private void warmUp() throws Exception {
        double compiling = Double.NaN;
        for (int round = 1; round <= 8; round++) {
            ObjectNode warm = chat("warm-" + round, round % 2 == 0 ? 100 : 300, 6_000);
            compiling = warm.path("jitCompilerSeconds").asDouble() / warm.path("drainedSeconds").asDouble();
            System.out.printf(Locale.ROOT, "warm-up round %d: JIT compilers %.2f cores under traffic%n", round, compiling);
            if (compiling < 0.1) {
                break;
            }
        }
        json.put("jitCompilerCoresAtLastWarmUp", compiling);
        Thread.sleep(5_000);
    }

    private Map<String, Long> processes() {
        Map<String, Long> processes = new LinkedHashMap<>(stack.processes());
        processes.put("chat clients", clients.pid());
        return processes;
    }

    /** The P3 and P4 plots from a run's figures (P5 and P6 draw their own); {@code --plot FILE} redraws them. */
    static void plot(ObjectNode json) throws java.io.IOException {
        Files.createDirectories(OUT);
        Map<String, LinkedHashMap<String, Double>> latency = new LinkedHashMap<>();
        json.path("p3Latency").fields().forEachRemaining(rate -> {
            LinkedHashMap<String, Double> bars = new LinkedHashMap<>();
            bars.put("bare Kafka hop p50", rate.getValue().path("kafkaHopP50MsMedian").asDouble());
            bars.put("message p50", rate.getValue().path("p50MsMedian").asDouble());
            bars.put("message p99", rate.getValue().path("p99MsMedian").asDouble());
            latency.put(rate.getValue().path("rate").asInt() + " msg/s", bars);
        });
        if (!latency.isEmpty()) {
            BarChart.write(OUT.resolve("messaging-p3-latency.png"), "1:1 latency, send to the recipient's socket (medians)",
                    "ms", latency);
        }
        Map<String, LinkedHashMap<String, Double>> throughput = new LinkedHashMap<>();
        for (JsonNode sample : json.path("p4Throughput").path("samples")) {
            LinkedHashMap<String, Double> bars = new LinkedHashMap<>();
            bars.put("offered", sample.path("rate").asDouble());
            bars.put("received (all acked)", sample.path("achievedRate").asDouble());
            throughput.put((sample.path("sustained").asBoolean() ? "" : "not sustained: ")
                    + sample.path("rate").asInt() + " offered", bars);
        }
        if (!throughput.isEmpty()) {
            BarChart.write(OUT.resolve("messaging-p4-throughput.png"), "1:1 throughput, msg/s", "msg/s", throughput);
        }
    }

    // ------------------------------------------------------------------------------------------------ P3

    private void latency(int rate) throws Exception {
        int count = rate * options.seconds();
        ObjectNode p3 = json.withObject("/p3Latency").putObject(rate + "PerSecond").put("rate", rate)
                .put("seconds", options.seconds());
        List<Double> p50s = new ArrayList<>();
        List<Double> p99s = new ArrayList<>();
        List<Double> hops50 = new ArrayList<>();
        List<Double> hops99 = new ArrayList<>();
        List<Double> coreMs = new ArrayList<>();
        for (int run = 1; run <= options.runs(); run++) {
            JsonNode hop = kafkaHop(rate, count);
            // The wall clock, to line a run up with the stack's log (up.log beside its data).
            System.out.printf(Locale.ROOT, "P3 %d msg/s run %d starts at %s%n", rate, run, java.time.LocalTime.now());
            ObjectNode chat = chat("p3-" + rate + "-" + run, rate, count);
            chat.set("kafkaHop", hop);
            p3.withArray("samples").add(chat);
            p50s.add(chat.path("latencyMs").path("p50").asDouble());
            p99s.add(chat.path("latencyMs").path("p99").asDouble());
            hops50.add(hop.path("latencyMs").path("p50").asDouble());
            hops99.add(hop.path("latencyMs").path("p99").asDouble());
            coreMs.add(chat.path("cpu").path("totalCoreMsPerMessage").asDouble());
            System.out.printf(Locale.ROOT, "P3 %d msg/s run %d: %d of %d received, %d acked: p50 %.2f ms, p99 %.2f ms;"
                            + " bare Kafka hop p50 %.2f ms, p99 %.2f ms; %.2f core-ms per message%n", rate, run,
                    chat.path("received").asInt(), count, chat.path("acked").asInt(), p50s.get(run - 1), p99s.get(run - 1),
                    hops50.get(run - 1), hops99.get(run - 1), coreMs.get(run - 1));
        }
        p3.put("p50MsMedian", Stats.median(p50s)).put("p99MsMedian", Stats.median(p99s))
                .put("kafkaHopP50MsMedian", Stats.median(hops50)).put("kafkaHopP99MsMedian", Stats.median(hops99))
                .put("coreMsPerMessageMedian", Stats.median(coreMs));
        System.out.printf(Locale.ROOT, "P3 %d msg/s median: p50 %.2f ms, p99 %.2f ms (bare Kafka hop p50 %.2f ms, p99 %.2f"
                        + " ms); %.2f core-ms per message%n", rate, Stats.median(p50s), Stats.median(p99s), Stats.median(hops50),
                Stats.median(hops99), Stats.median(coreMs));
    }

    private JsonNode kafkaHop(int rate, int count) throws Exception {
        try (BenchProcess hop = BenchProcess.java(List.of("-Xmx256m"), KafkaHop.class.getName(),
                List.of(stack.kafka(), Integer.toString(rate), Integer.toString(count)), Map.of())) {
            String line = hop.await("hop ", count / rate + 120);
            return EventJson.MAPPER.readTree(line.substring(line.indexOf('{')));
        }
    }

    // ------------------------------------------------------------------------------------------------ P4

    private void throughput() throws Exception {
        ObjectNode p4 = json.putObject("p4Throughput").put("seconds", options.seconds());
        ArrayNode samples = p4.putArray("samples");
        double best = 0;
        for (int rate : options.throughput()) {
            int count = rate * options.seconds();
            ObjectNode chat = chat("p4-" + rate, rate, count);
            double drain = chat.path("drainedSeconds").asDouble() - chat.path("sendSeconds").asDouble();
            boolean sustained = chat.path("received").asInt() == count && chat.path("acked").asInt() == count
                    && chat.path("duplicates").asInt() == 0 && drain <= 2.0;
            chat.put("sustained", sustained).put("achievedRate", chat.path("received").asInt() / chat.path("drainedSeconds").asDouble());
            samples.add(chat);
            System.out.printf(Locale.ROOT, "P4 offered %d msg/s: %d of %d received, %d acked, last %.1f s after the last send,"
                            + " p50 %.1f ms, p99 %.1f ms: %s; %.2f core-ms per message%n", rate, chat.path("received").asInt(),
                    count, chat.path("acked").asInt(), drain, chat.path("latencyMs").path("p50").asDouble(),
                    chat.path("latencyMs").path("p99").asDouble(), sustained ? "sustained" : "NOT sustained",
                    chat.path("cpu").path("totalCoreMsPerMessage").asDouble());
            if (sustained) {
                best = Math.max(best, rate);
            } else {
                break;
            }
        }
        p4.put("highestSustainedRate", best);
        System.out.printf(Locale.ROOT, "P4: highest sustained rate %.0f msg/s%n", best);
    }

    private void stop() {
        for (AutoCloseable c : new AutoCloseable[] {clients, stack}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception e) {
                System.err.println("closing: " + e);
            }
        }
    }

    /** Flight recordings of the stack's JVMs over one run, started and dumped with jcmd. */
    static final class Flight {

        static void start(Iterable<Long> pids) throws Exception {
            for (long pid : pids) {
                if (jvm(pid)) {
                    jcmd(pid, "JFR.start", "name=bench", "settings=profile");
                }
            }
        }

        static void stop(Map<String, Long> processes, Path dir, String run) throws Exception {
            for (Map.Entry<String, Long> p : processes.entrySet()) {
                if (!jvm(p.getValue())) {
                    continue;
                }
                String name = p.getKey().replaceAll("[^A-Za-z]+", "-").replaceAll("-$", "");
                jcmd(p.getValue(), "JFR.stop", "name=bench", "filename=" + dir.resolve(run + "-" + name + ".jfr"));
            }
        }

        /** jcmd attaches by sending SIGQUIT, which kills a process that is no JVM (Redis). */
        static boolean jvm(long pid) {
            return ProcessHandle.of(pid).flatMap(h -> h.info().command())
                    .map(command -> Path.of(command).getFileName().toString().equals("java")).orElse(false);
        }

        private static void jcmd(long pid, String... command) throws Exception {
            List<String> line = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                    Long.toString(pid)));
            line.addAll(List.of(command));
            new ProcessBuilder(line).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start()
                    .waitFor();
        }
    }

    /** The machine over a run, from {@code vmstat 1}: runnable threads and idle CPU, median and worst. */
    static final class Vmstat {

        static void describe(ObjectNode into, List<String> lines) {
            List<Double> runnable = new ArrayList<>();
            List<Double> idle = new ArrayList<>();
            for (String line : lines) {
                String[] f = line.trim().split("\\s+");
                if (f.length >= 15 && f[0].matches("\\d+")) {
                    runnable.add(Double.parseDouble(f[0]));
                    idle.add(Double.parseDouble(f[14]));
                }
            }
            if (runnable.size() > 1) {
                runnable.remove(0); // since boot
                idle.remove(0);
                into.put("runnableMedian", Stats.median(runnable)).put("runnableMax", runnable.stream().mapToDouble(d -> d).max().orElse(0))
                        .put("idlePercentMedian", Stats.median(idle));
            }
        }
    }

    /** CPU seconds used by each process and by each of its thread groups (threads by name, numbers dropped). */
    record Cpu(Map<String, Double> seconds, Map<String, Map<String, Double>> threads) {

        static Cpu sample(Map<String, Long> processes) {
            Map<String, Double> seconds = new LinkedHashMap<>();
            Map<String, Map<String, Double>> threads = new LinkedHashMap<>();
            processes.forEach((name, pid) -> {
                try {
                    seconds.put(name, BenchProcess.cpuSeconds(pid));
                    threads.put(name, threadSeconds(pid));
                } catch (Exception e) {
                    seconds.put(name, Double.NaN);
                }
            });
            return new Cpu(seconds, threads);
        }

        private static Map<String, Double> threadSeconds(long pid) throws java.io.IOException {
            Map<String, Double> byGroup = new LinkedHashMap<>();
            try (var tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
                for (Path task : (Iterable<Path>) tasks::iterator) {
                    try {
                        String name = Files.readString(task.resolve("comm")).trim().replaceAll("[-#:_ ]*\\d+$", "");
                        byGroup.merge(name, BenchProcess.cpuSeconds(task), Double::sum);
                    } catch (java.io.IOException gone) {
                        // the thread ended meanwhile
                    }
                }
            }
            return byGroup;
        }

        Cpu since(Cpu before) {
            Map<String, Double> used = new LinkedHashMap<>();
            Map<String, Map<String, Double>> threadsUsed = new LinkedHashMap<>();
            seconds.forEach((name, s) -> used.put(name, s - before.seconds.getOrDefault(name, 0.0)));
            threads.forEach((name, groups) -> {
                Map<String, Double> was = before.threads.getOrDefault(name, Map.of());
                Map<String, Double> delta = new LinkedHashMap<>();
                groups.forEach((group, s) -> delta.put(group, s - was.getOrDefault(group, 0.0)));
                threadsUsed.put(name, delta);
            });
            return new Cpu(used, threadsUsed);
        }

        /** CPU seconds the JIT compiler threads of every process used. */
        double compilerSeconds() {
            return threads.values().stream().flatMap(groups -> groups.entrySet().stream())
                    .filter(group -> group.getKey().contains("CompilerThre")).mapToDouble(Map.Entry::getValue).sum();
        }

        /**
         * Cores used on average over the window, and core-milliseconds per message, per process and in all; and the
         * busiest thread groups of each process.
         */
        void describe(ObjectNode into, double windowSeconds, int messages) {
            double total = 0;
            for (Map.Entry<String, Double> e : seconds.entrySet()) {
                ObjectNode process = into.putObject(e.getKey()).put("cores", e.getValue() / windowSeconds)
                        .put("coreMsPerMessage", e.getValue() * 1000 / messages);
                ObjectNode busiest = process.putObject("threadCoreMsPerMessage");
                threads.getOrDefault(e.getKey(), Map.of()).entrySet().stream()
                        .sorted(Map.Entry.<String, Double>comparingByValue().reversed()).limit(10)
                        .filter(t -> t.getValue() > 0)
                        .forEach(t -> busiest.put(t.getKey(), t.getValue() * 1000 / messages));
                total += e.getValue();
            }
            into.put("totalCores", total / windowSeconds).put("totalCoreMsPerMessage", total * 1000 / messages);
        }
    }
}
