package im.parley.bench;

import com.datastax.oss.driver.api.core.CqlSession;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import im.parley.eventing.Actor;
import im.parley.eventing.EventJson;
import im.parley.eventing.EventTypes;
import im.parley.eventing.Events;
import im.parley.eventing.delivery.DeliveryBatch;
import im.parley.eventing.message.ContentType;
import im.parley.eventing.message.DeviceRef;
import im.parley.eventing.message.Message;
import im.parley.eventing.sync.SyncRequested;
import im.parley.functions.handlers.Handlers;
import im.parley.membership.CassandraGroups;
import im.parley.messages.CassandraMessages;
import im.parley.persist.CassandraMessageStore;
import im.parley.social.CassandraSocialGraph;
import im.parley.sync.CassandraHistory;
import im.parley.sync.SyncFunction;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * P6: a device that missed 10,000 messages in 100 conversations catches up over its socket, in pages of
 * {@link SyncFunction#CATCH_UP_PAGE}, each asked with the cursors the last one left. Baseline, in the same run: the
 * sync function called in this process on the same Cassandra, with no Kafka, tier or Redis in between.
 */
final class CatchUp {

    static final int CONVERSATIONS = 100;
    static final int PER_CONVERSATION = 100;

    private final CqlSession cql;
    private final BenchSockets sockets;

    CatchUp(CqlSession cql, BenchSockets sockets) {
        this.cql = cql;
        this.sockets = sockets;
    }

    /** @param flights with --jfr, where the recordings of the stack's JVMs and of this one go; else null */
    void run(int runs, ObjectNode json, Map<String, Long> processes, Path flights) throws Exception {
        String catcher = "catcher" + System.currentTimeMillis();
        store(catcher);
        int total = CONVERSATIONS * PER_CONVERSATION;
        ObjectNode p6 = json.putObject("p6CatchUp").put("conversations", CONVERSATIONS).put("messages", total)
                .put("pageSize", SyncFunction.CATCH_UP_PAGE);
        AtomicReference<DeliveryBatch> answered = new AtomicReference<>();
        SyncFunction direct = new SyncFunction(new CassandraHistory(cql), new CassandraMessages(cql), new CassandraSocialGraph(cql),
                new CassandraGroups(cql), answered::set);
        Map<String, Long> profiled = new LinkedHashMap<>(processes);
        profiled.put("benchmark", ProcessHandle.current().pid());
        p6.put("jitCompilerCoresAtLastWarmUp", warmUp(direct, answered, catcher, total, profiled));
        List<Double> socket = new ArrayList<>();
        List<Double> alone = new ArrayList<>();
        if (flights != null) {
            MessagingBenchmark.Flight.start(profiled.values());
        }
        for (int run = 1; run <= runs; run++) {
            MessagingBenchmark.Cpu before = MessagingBenchmark.Cpu.sample(processes);
            double socketMs = overSocket(catcher, "run" + run, total);
            MessagingBenchmark.Cpu used = MessagingBenchmark.Cpu.sample(processes).since(before);
            double directMs = inProcess(direct, answered, catcher, total);
            socket.add(socketMs);
            alone.add(directMs);
            ObjectNode sample = p6.withArray("samples").addObject().put("run", run).put("overSocketMs", socketMs)
                    .put("inProcessMs", directMs);
            used.describe(sample.putObject("cpuOverSocket"), socketMs / 1000, total);
            System.out.printf(Locale.ROOT, "P6 run %d: %d messages in %d conversations caught up in %.0f ms over the socket;"
                    + " the sync function alone %.0f ms%n", run, total, CONVERSATIONS, socketMs, directMs);
        }
        if (flights != null) {
            Files.createDirectories(flights);
            MessagingBenchmark.Flight.stop(profiled, flights, "p6");
        }
        double median = Stats.median(socket);
        double baseline = Stats.median(alone);
        p6.put("overSocketMsMedian", median).put("inProcessMsMedian", baseline).put("ratioToInProcess", median / baseline);
        System.out.printf(Locale.ROOT, "P6 median: %.0f ms over the socket, %.0f ms in-process (%.2fx)%n", median, baseline,
                median / baseline);
        Map<String, LinkedHashMap<String, Double>> chart = new LinkedHashMap<>();
        LinkedHashMap<String, Double> bars = new LinkedHashMap<>();
        bars.put("sync function in-process", baseline);
        bars.put("device over its socket", median);
        chart.put("catch-up of " + total + " messages (ms)", bars);
        BarChart.write(MessagingBenchmark.OUT.resolve("messaging-p6-catch-up.png"), "Catch-up, median of " + runs + " runs",
                "ms", chart);
    }

    /**
     * Unmeasured catch-ups on both paths until the JIT compilers of the stack and of this process use under a tenth
     * of a core meanwhile (at most 60 rounds), as P3 warms up: the sync Trigger may be scaled to zero, and a cold
     * JVM compiles for longer than a catch-up takes.
     */
    private double warmUp(SyncFunction direct, AtomicReference<DeliveryBatch> answered, String catcher, int total,
                          Map<String, Long> processes) throws Exception {
        double compiling = Double.NaN;
        for (int round = 1; round <= 60; round++) {
            MessagingBenchmark.Cpu before = MessagingBenchmark.Cpu.sample(processes);
            long t0 = System.nanoTime();
            double socketMs = overSocket(catcher, "warm" + round, total);
            double directMs = inProcess(direct, answered, catcher, total);
            compiling = MessagingBenchmark.Cpu.sample(processes).since(before).compilerSeconds() / ((System.nanoTime() - t0) / 1e9);
            System.out.printf(Locale.ROOT, "P6 warm-up round %d: %.0f ms over the socket, %.0f ms alone; JIT compilers %.2f cores%n",
                    round, socketMs, directMs, compiling);
            if (compiling < 0.1) {
                break;
            }
        }
        return compiling;
    }

    private void store(String catcher) {
        CassandraMessageStore store = new CassandraMessageStore(cql);
        Instant now = Instant.now();
        List<CompletableFuture<Void>> writes = new ArrayList<>();
        for (int c = 0; c < CONVERSATIONS; c++) {
            String conversation = "d:" + catcher + ":peer" + c;
            for (int s = 1; s <= PER_CONVERSATION; s++) {
                Message m = new Message(conversation, "m" + s, s, new DeviceRef("peer" + c, "d"), ContentType.TEXT,
                        "message " + s + " of conversation " + c, now.plusMillis(s));
                writes.add(CompletableFuture.runAsync(() -> store.store(m, false)));
                if (writes.size() == 64) {
                    CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).join();
                    writes.clear();
                }
            }
        }
        CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).join();
    }

    private double overSocket(String catcher, String device, int total) throws Exception {
        LinkedBlockingQueue<String> pages = new LinkedBlockingQueue<>();
        BenchSockets.Conn conn = sockets.open(catcher, device, text -> {
            if (text.contains("\"t\":\"sync\"")) {
                pages.add(text);
            }
        }).get(30, TimeUnit.SECONDS);
        try {
            Map<String, Long> cursors = new HashMap<>();
            int got = 0;
            long t0 = System.nanoTime();
            for (int page = 0; ; page++) {
                conn.send("{\"v\":1,\"t\":\"sync\",\"d\":{\"requestId\":\"p" + page + "\",\"kind\":\"catch-up\",\"cursors\":"
                        + EventJson.MAPPER.writeValueAsString(cursors) + "}}");
                String text = pages.poll(60, TimeUnit.SECONDS);
                if (text == null) {
                    throw new IllegalStateException("no catch-up page " + page);
                }
                JsonNode d = EventJson.MAPPER.readTree(text).path("d");
                for (JsonNode m : d.path("messages")) {
                    cursors.merge(m.path("conversationId").asText(), m.path("serverSeq").asLong(), Math::max);
                    got++;
                }
                if (!d.path("hasMore").asBoolean()) {
                    break;
                }
            }
            double ms = (System.nanoTime() - t0) / 1e6;
            if (got != total) {
                throw new IllegalStateException("caught up on " + got + " of " + total);
            }
            return ms;
        } finally {
            conn.close();
        }
    }

    private static double inProcess(SyncFunction sync, AtomicReference<DeliveryBatch> answered, String catcher, int total) {
        Map<String, Long> cursors = new HashMap<>();
        int got = 0;
        Handlers handlers = sync.handlers();
        long t0 = System.nanoTime();
        for (int page = 0; ; page++) {
            SyncRequested request = new SyncRequested("p" + page, SyncRequested.Kind.CATCH_UP, null, null, null,
                    Map.copyOf(cursors), null);
            handlers.apply(Events.create(EventTypes.SYNC_REQUESTED, request, new Actor(catcher, "direct", "nowhere"),
                    URI.create("/bench")));
            JsonNode d = answered.get().items().get(0).frame().path("d");
            for (JsonNode m : d.path("messages")) {
                cursors.merge(m.path("conversationId").asText(), m.path("serverSeq").asLong(), Math::max);
                got++;
            }
            if (!d.path("hasMore").asBoolean()) {
                break;
            }
        }
        if (got != total) {
            throw new IllegalStateException("in-process catch-up got " + got + " of " + total);
        }
        return (System.nanoTime() - t0) / 1e6;
    }
}
