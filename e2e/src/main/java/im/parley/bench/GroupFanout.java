package im.parley.bench;

import com.datastax.oss.driver.api.core.CqlSession;
import com.fasterxml.jackson.databind.node.ObjectNode;
import im.parley.eventing.EventJson;
import im.parley.eventing.delivery.DeliveryBatch;
import im.parley.eventing.delivery.Frames;
import im.parley.eventing.group.GroupCreateRequested;
import im.parley.eventing.message.DeviceRef;
import im.parley.group.CassandraGroupStore;
import im.parley.group.GroupState;
import im.parley.group.Membership;
import im.parley.group.Welcome;
import im.parley.redis.DeliveryStreams;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

/**
 * P5: one message to a group whose members are all online, held by two {@link GroupMembers} processes; the time
 * from the sender's {@code send} to the last member's socket having it (one host-wide monotonic clock). Baseline,
 * in the same run: the same frame written straight to the node's delivery stream, skipping Kafka and the functions.
 * The group is written to Cassandra as the group function records one; the message goes through the whole path.
 */
final class GroupFanout {

    static final int PROCESSES = 2;
    static final String NODE = "local-node-1";
    static final int WARM_PAIRS = 30;
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Pattern REPLICAS = Pattern.compile("(?m)^parley_trigger_replicas\\{[^}]*} (\\S+)$");

    private final ParleyStack stack;
    private final CqlSession cql;
    private final BenchSockets sockets;

    GroupFanout(ParleyStack stack, CqlSession cql, BenchSockets sockets) {
        this.stack = stack;
        this.cql = cql;
        this.sockets = sockets;
    }

    /** @param flights where to write a flight recording of the stack's JVMs over the measured messages, or null */
    void run(int size, int runs, ObjectNode json, java.nio.file.Path flights) throws Exception {
        String groupId = "bench-" + size + "-" + System.currentTimeMillis();
        List<String> members = IntStream.range(0, size).mapToObj(i -> "gm" + i).toList();
        GroupState group = new Membership(Math.max(size + 1, 10_000)).create(null, "gsender",
                new GroupCreateRequested(groupId, "Bench", members, false), "bench-create", Welcome.ANYONE);
        CassandraGroupStore groups = new CassandraGroupStore(cql);
        groups.record(group);
        groups.apply(group.lastChange());

        int resting = replicas();
        List<BenchProcess> clients = new ArrayList<>();
        ConcurrentHashMap<String, long[]> done = new ConcurrentHashMap<>();
        Vertx vertx = Vertx.vertx();
        Redis redis = Redis.createClient(vertx, stack.redis());
        try {
            long t0 = System.nanoTime();
            for (int p = 0; p < PROCESSES; p++) {
                clients.add(BenchProcess.java(List.of("-Xmx512m", "-XX:+UseSerialGC"), GroupMembers.class.getName(),
                        List.of("127.0.0.1", Integer.toString(stack.webSocketPort()), stack.secret(), "gm",
                                Integer.toString(p * size / PROCESSES), Integer.toString((p + 1) * size / PROCESSES)), Map.of()));
            }
            for (BenchProcess client : clients) {
                client.await("ready", 600);
            }
            System.out.printf(Locale.ROOT, "P5: %d members online in %d processes after %.0f s%n", size, PROCESSES,
                    (System.nanoTime() - t0) / 1e9);
            settle(resting);
            for (BenchProcess client : clients) {
                Thread reader = new Thread(() -> {
                    try {
                        while (true) {
                            String[] line = client.await("all ", 3_600).split(" ");
                            done.merge(line[1], new long[] {1, Long.parseLong(line[2])},
                                    (a, b) -> new long[] {a[0] + b[0], Math.max(a[1], b[1])});
                        }
                    } catch (Exception ended) {
                        // the process was closed
                    }
                }, "p5-reader");
                reader.setDaemon(true);
                reader.start();
            }
            BenchSockets.Conn sender = sockets.open("gsender", "d", text -> { }).get(30, TimeUnit.SECONDS);
            DeliveryStreams streams = new DeliveryStreams(redis);
            List<DeviceRef> targets = members.stream().map(m -> new DeviceRef(m, "d")).toList();
            ObjectNode p5 = json.putObject("p5GroupFanout").put("members", size).put("clientProcesses", PROCESSES);
            List<Double> pipeline = new ArrayList<>();
            List<Double> direct = new ArrayList<>();
            List<Window> pipelineCpu = new ArrayList<>();
            List<Window> directCpu = new ArrayList<>();
            List<Window> idle = new ArrayList<>();
            // Pairs warm both paths (posting rights, the members' presence, the JIT) until the stack's JIT compilers
            // use under a tenth of a core over a pair, as P3 warms up: on two cores they compete with the fan-out.
            for (int round = 1; round <= WARM_PAIRS; round++) {
                MessagingBenchmark.Cpu before = MessagingBenchmark.Cpu.sample(stack.processes());
                long started = System.nanoTime();
                Pair warm = pair(done, groupId, "warm-" + round, sender, streams, targets);
                double compiling = MessagingBenchmark.Cpu.sample(stack.processes()).since(before).compilerSeconds()
                        / ((System.nanoTime() - started) / 1e9);
                if ((round >= 3 && compiling < 0.1) || round == WARM_PAIRS) {
                    System.out.printf(Locale.ROOT, "P5: warmed up in %d pairs (JIT compilers %.2f cores over the last;"
                            + " %.0f ms, straight to the stream %.0f ms)%n", round, compiling, warm.ms(), warm.directMs());
                    break;
                }
            }
            if (flights != null) {
                MessagingBenchmark.Flight.start(stack.processes().values());
            }
            for (int run = 1; run <= runs; run++) {
                for (int i = 0; i < 3; i++) {
                    Pair measured = pair(done, groupId, run + "-" + i, sender, streams, targets);
                    pipeline.add(measured.ms());
                    pipelineCpu.add(measured.cpu());
                    direct.add(measured.directMs());
                    directCpu.add(measured.directCpu());
                    idle.add(measured.idle());
                }
                List<Double> ones = pipeline.subList(pipeline.size() - 3, pipeline.size());
                List<Double> directs = direct.subList(direct.size() - 3, direct.size());
                p5.withArray("samples").addObject().put("run", run).putPOJO("oneMessageMs", List.copyOf(ones))
                        .putPOJO("directDeliveryMs", List.copyOf(directs));
                System.out.printf(Locale.ROOT, "P5 run %d: one message to all %d in %s ms (straight to the node's stream: %s ms)%n",
                        run, size, fmt(ones), fmt(directs));
            }
            if (flights != null) {
                java.nio.file.Files.createDirectories(flights);
                MessagingBenchmark.Flight.stop(stack.processes(), flights, "p5");
            }
            double median = Stats.median(pipeline);
            double baseline = Stats.median(direct);
            p5.put("oneMessageMsMedian", median).put("directDeliveryMsMedian", baseline).put("ratioToDirect", median / baseline);
            Window.describe(p5.putObject("stackCoreMsPerMessage"), pipelineCpu, idle);
            Window.describe(p5.putObject("stackCoreMsPerDirectWrite"), directCpu, idle);
            Window.describeThreads(p5.putObject("threadCoreMsPerMessage"), pipelineCpu, idle);
            Window.describeThreads(p5.putObject("threadCoreMsPerDirectWrite"), directCpu, idle);
            System.out.printf(Locale.ROOT, "P5 CPU of the stack's processes (median, idle polling taken out): %.0f core-ms per"
                            + " message, %.0f per direct write%n", p5.path("stackCoreMsPerMessage").path("all").asDouble(),
                    p5.path("stackCoreMsPerDirectWrite").path("all").asDouble());
            System.out.printf(Locale.ROOT, "P5 median: %.0f ms to all %d members (straight to the stream %.0f ms, %.2fx)%n",
                    median, size, baseline, median / baseline);
            Map<String, LinkedHashMap<String, Double>> chart = new LinkedHashMap<>();
            LinkedHashMap<String, Double> bars = new LinkedHashMap<>();
            bars.put("written straight to the node's stream", baseline);
            bars.put("sent through the message path", median);
            chart.put("one message to all " + size + " members (ms)", bars);
            BarChart.write(MessagingBenchmark.OUT.resolve("messaging-p5-group-fanout.png"),
                    "Group fan-out, median of " + runs + " runs", "ms", chart);
            sender.close();
        } finally {
            clients.forEach(BenchProcess::close);
            redis.close();
            vertx.close();
        }
    }

    /** One message through the path and the same frame straight to the stream, each with the CPU it took. */
    record Pair(double ms, Window cpu, double directMs, Window directCpu, Window idle) { }

    /** A message, the same frame straight to the node's stream, then 500 ms of rest (the idle window). */
    private Pair pair(ConcurrentHashMap<String, long[]> done, String groupId, String suffix, BenchSockets.Conn sender,
                      DeliveryStreams streams, List<DeviceRef> targets) throws Exception {
        String id = "one-" + suffix;
        MessagingBenchmark.Cpu before = MessagingBenchmark.Cpu.sample(stack.processes());
        double ms = timeToAll(done, id, () -> sender.send(send(groupId, id)));
        Window cpu = new Window(MessagingBenchmark.Cpu.sample(stack.processes()).since(before), ms);
        String directId = "direct-" + suffix;
        ObjectNode frame = Frames.of("msg", EventJson.MAPPER.createObjectNode().put("conversationId", "g:" + groupId)
                .put("clientMsgId", directId).put("serverSeq", 0));
        before = MessagingBenchmark.Cpu.sample(stack.processes());
        double directMs = timeToAll(done, directId, () -> streams.send(
                new DeliveryBatch(NODE, List.of(new DeliveryBatch.Item(targets, frame)))));
        Window directCpu = new Window(MessagingBenchmark.Cpu.sample(stack.processes()).since(before), directMs);
        before = MessagingBenchmark.Cpu.sample(stack.processes());
        Thread.sleep(500);
        return new Pair(ms, cpu, directMs, directCpu, new Window(MessagingBenchmark.Cpu.sample(stack.processes()).since(before), 500));
    }

    /**
     * Waits until the stack is at rest again, at most 8 min: 10,000 connections opening put 10,000 connection events
     * on the default broker, which every one of its Triggers reads, so each scales up; the HPA keeps those replicas
     * for its 300 s scale-down window, and their polling shares the two cores with P5. At rest means as many
     * replicas as before the members connected, and the launcher under 0.15 cores over 2 s (about 0.1 idle).
     */
    private void settle(int resting) throws Exception {
        long t0 = System.nanoTime();
        double before = BenchProcess.cpuSeconds(stack.launcherPid());
        int replicas = replicas();
        double cores = Double.NaN;
        while (System.nanoTime() - t0 < TimeUnit.MINUTES.toNanos(8)) {
            Thread.sleep(2_000);
            double now = BenchProcess.cpuSeconds(stack.launcherPid());
            cores = (now - before) / 2;
            before = now;
            replicas = replicas();
            if (replicas <= resting && cores < 0.15) {
                break;
            }
        }
        System.out.printf(Locale.ROOT, "P5: the stack settled after the members connected in %.0f s (%d Trigger replicas,"
                + " %d at rest; launcher %.2f cores)%n", (System.nanoTime() - t0) / 1e9, replicas, resting, cores);
    }

    /** The dispatcher replicas running, over every Trigger, from the runtime's metrics. */
    private int replicas() throws Exception {
        HttpResponse<String> metrics = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + stack.runtimeMetricsPort() + "/metrics")).timeout(Duration.ofSeconds(5)).build(), BodyHandlers.ofString());
        Matcher gauge = REPLICAS.matcher(metrics.body());
        int sum = 0;
        while (gauge.find()) {
            sum += (int) Double.parseDouble(gauge.group(1));
        }
        return sum;
    }

    /** The CPU the stack's processes used over a window of so many milliseconds. */
    record Window(MessagingBenchmark.Cpu used, double ms) {

        /**
         * Core-milliseconds per window, per process and in all (medians), less what the process used idle over as
         * long (its median rate over the pauses between messages, the stack at rest).
         */
        static void describe(ObjectNode into, List<Window> windows, List<Window> idle) {
            List<Double> all = new ArrayList<>(Collections.nCopies(windows.size(), 0.0));
            for (String process : windows.get(0).used().seconds().keySet()) {
                List<Double> coreMs = overIdle(windows, idle, cpu -> cpu.seconds().get(process));
                for (int i = 0; i < windows.size(); i++) {
                    all.set(i, all.get(i) + coreMs.get(i));
                }
                into.put(process, Stats.median(coreMs));
            }
            into.put("all", Stats.median(all));
        }

        /**
         * As {@link #describe}, for the busiest thread groups of each process (threads by name, numbers dropped),
         * counting every group seen in any window: compiler threads come and go.
         */
        static void describeThreads(ObjectNode into, List<Window> windows, List<Window> idle) {
            for (String process : windows.get(0).used().seconds().keySet()) {
                Map<String, Double> byGroup = new LinkedHashMap<>();
                windows.stream().flatMap(w -> w.used().threads().getOrDefault(process, Map.of()).keySet().stream())
                        .distinct().forEach(group -> byGroup.put(group, Stats.median(overIdle(windows, idle,
                                cpu -> cpu.threads().getOrDefault(process, Map.of()).getOrDefault(group, 0.0)))));
                ObjectNode groups = into.putObject(process);
                byGroup.entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue().reversed()).limit(8)
                        .forEach(g -> groups.put(g.getKey(), g.getValue()));
            }
        }

        /** Core-milliseconds of each window, less the median idle rate over as long. */
        private static List<Double> overIdle(List<Window> windows, List<Window> idle,
                                             ToDoubleFunction<MessagingBenchmark.Cpu> seconds) {
            double idleRate = Stats.median(idle.stream().map(w -> seconds.applyAsDouble(w.used()) / w.ms()).toList());
            return windows.stream().map(w -> (seconds.applyAsDouble(w.used()) - idleRate * w.ms()) * 1000).toList();
        }
    }

    static String send(String groupId, String id) {
        return "{\"v\":1,\"t\":\"send\",\"d\":{\"conversationId\":\"g:" + groupId + "\",\"clientMsgId\":\"" + id
                + "\",\"contentType\":\"text\",\"content\":\"hello everyone\"}}";
    }

    private static double timeToAll(Map<String, long[]> done, String id, Runnable send) throws InterruptedException {
        long start = System.nanoTime();
        send.run();
        long deadline = start + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            long[] d = done.get(id);
            if (d != null && d[0] == PROCESSES) {
                return (d[1] - start) / 1e6;
            }
            Thread.sleep(1);
        }
        throw new IllegalStateException("message " + id + " did not reach every member");
    }

    static String fmt(List<Double> values) {
        return values.stream().map(v -> String.format(Locale.ROOT, "%.0f", v)).reduce((a, b) -> a + "/" + b).orElse("");
    }
}
