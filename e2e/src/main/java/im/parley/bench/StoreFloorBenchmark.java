package im.parley.bench;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import im.parley.cassandra.CassandraSessions;
import im.parley.cassandra.CassandraSettings;
import im.parley.cassandra.CqlMigrations;
import im.parley.cassandra.MessageBuckets;
import im.parley.eventing.EventJson;
import im.parley.eventing.message.ContentType;
import im.parley.eventing.message.ConversationIds;
import im.parley.eventing.message.DeviceRef;
import im.parley.eventing.message.Message;
import im.parley.persist.CassandraMessageStore;
import im.parley.stack.CassandraServer;
import im.parley.stack.DataDir;
import im.parley.stack.Ports;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * What Cassandra alone costs per message on this machine: the message path's write ({@link CassandraMessageStore},
 * one batch per message) at steady rates, with nothing else running, against the one row any message store must
 * write, measured in the same run. It bounds what the whole stack can sustain: whatever Cassandra takes of the two
 * cores at a rate is not left for Kafka, Redis, the launcher and the clients. Cassandra is configured as
 * {@code ./parley up} configures it (the harness's settings, a 512 MB heap).
 *
 * <p>{@code ./parley bench store [--rates 1000,3000] [--seconds 30] [--runs 3] [--warmup 45]}
 */
public final class StoreFloorBenchmark {

    static final int CONVERSATIONS = 100;
    static final int MAX_IN_FLIGHT = 512;
    static final String USAGE = "usage: ./parley bench store [--rates 1000,3000] [--seconds 30] [--runs 3] [--warmup 45]";

    private final CqlSession session;
    private final CassandraMessageStore store;
    private final PreparedStatement row;
    private final long[] seqs = new long[CONVERSATIONS];
    private final ExecutorService writers = Executors.newFixedThreadPool(16);

    StoreFloorBenchmark(CqlSession session) {
        this.session = session;
        this.store = new CassandraMessageStore(session);
        // The messages row alone, as the store writes it.
        this.row = session.prepare("INSERT INTO messages (conversation_id, bucket, server_seq, client_msg_id, sender_user,"
                + " sender_device, content_type, content, sent_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
    }

    /** How a rate was held for one write kind: Cassandra's CPU over the window, and what was written in it. */
    record Window(String kind, int rate, long offered, long written, double cpuSeconds, double seconds) {

        double cassandraCores() {
            return cpuSeconds / seconds;
        }

        double coreMsPerMessage() {
            return written == 0 ? Double.NaN : cpuSeconds * 1000.0 / written;
        }
    }

    public static void main(String[] args) throws Exception {
        List<Integer> rates = new ArrayList<>();
        int seconds;
        int runs;
        int warmup;
        try {
            Map<String, String> options = options(args);
            for (String r : options.getOrDefault("rates", "1000,3000").split(",")) {
                rates.add(Integer.parseInt(r.trim()));
            }
            seconds = Integer.parseInt(options.getOrDefault("seconds", "30"));
            runs = Integer.parseInt(options.getOrDefault("runs", "3"));
            warmup = Integer.parseInt(options.getOrDefault("warmup", "45"));
        } catch (IllegalArgumentException e) {
            System.err.println(USAGE + " (" + e.getMessage() + ")");
            System.exit(2);
            return;
        }

        CassandraServer cassandra = new CassandraServer(DataDir.temporary("cassandra"), Ports.free(), Ports.free(), "512m");
        cassandra.start();
        try {
            CassandraSettings settings = CassandraSettings.local(cassandra.host(), cassandra.port(), cassandra.localDatacenter());
            try (CqlSession admin = CassandraSessions.connect(settings)) {
                CqlMigrations.apply(admin, settings);
            }
            try (CqlSession session = CassandraSessions.connectToKeyspace(settings)) {
                StoreFloorBenchmark bench = new StoreFloorBenchmark(session);
                try {
                    bench.run(cassandra.pid(), rates, seconds, runs, warmup);
                } finally {
                    bench.writers.shutdownNow();
                }
            }
        } finally {
            cassandra.stop();
        }
    }

    private void run(long pid, List<Integer> rates, int seconds, int runs, int warmup) throws Exception {
        System.out.printf("warming up: %d s of the message path's write at %d/s%n", warmup, rates.get(0));
        hold("path", rates.get(0), warmup, pid);
        hold("row", rates.get(0), Math.max(5, warmup / 3), pid);
        List<Window> windows = new ArrayList<>();
        for (int run = 1; run <= runs; run++) {
            for (int rate : rates) {
                // Alternating which goes first, so neither always follows the other's compactions.
                List<String> kinds = run % 2 == 1 ? List.of("path", "row") : List.of("row", "path");
                for (String kind : kinds) {
                    Window w = hold(kind, rate, seconds, pid);
                    windows.add(w);
                    System.out.printf(Locale.ROOT, "run %d  %-4s at %5d/s: %d of %d written, Cassandra %.3f cores, %.3f core-ms per message%n",
                            run, kind, rate, w.written(), w.offered(), w.cassandraCores(), w.coreMsPerMessage());
                }
            }
        }
        report(windows, rates, seconds, runs);
    }

    /** Offers {@code rate} writes a second for {@code seconds}, open loop; what is still unwritten at the end is not counted. */
    private Window hold(String kind, int rate, int seconds, long pid) throws Exception {
        Semaphore inFlight = new Semaphore(MAX_IN_FLIGHT);
        AtomicLong written = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        long offered = (long) rate * seconds;
        double cpuBefore = BenchProcess.cpuSeconds(pid);
        long start = System.nanoTime();
        for (long i = 0; i < offered; i++) {
            long due = start + i * 1_000_000_000L / rate;
            for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
                LockSupport.parkNanos(Math.min(wait, 200_000));
            }
            if (!inFlight.tryAcquire()) {
                continue; // Cassandra is not keeping up: the offer is dropped, and shows as unwritten.
            }
            Message m = next((int) (i % CONVERSATIONS));
            CompletableFuture<?> write = kind.equals("path")
                    ? CompletableFuture.runAsync(() -> store.store(m, false), writers)
                    : session.executeAsync(row.bind(m.conversationId(), MessageBuckets.of(m.serverSeq()), m.serverSeq(),
                            m.clientMsgId(), m.sender().userId(), m.sender().deviceId(), "text", m.content(), m.sentAt()))
                            .toCompletableFuture();
            write.whenComplete((ok, e) -> {
                (e == null ? written : failed).incrementAndGet();
                inFlight.release();
            });
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        double cpu = BenchProcess.cpuSeconds(pid) - cpuBefore;
        long done = written.get();
        inFlight.acquire(MAX_IN_FLIGHT); // the next window starts with nothing left over
        inFlight.release(MAX_IN_FLIGHT);
        if (failed.get() > 0) {
            System.out.printf("%d %s writes failed%n", failed.get(), kind);
        }
        return new Window(kind, rate, offered, done, cpu, elapsed);
    }

    private Message next(int conversation) {
        long seq = ++seqs[conversation];
        String id = ConversationIds.direct("floor-a" + conversation, "floor-b" + conversation);
        return new Message(id, UUID.randomUUID().toString(), seq, new DeviceRef("floor-a" + conversation, "d1"),
                ContentType.TEXT, "message " + seq + " of a chat between two friends", Instant.now());
    }

    private static void report(List<Window> windows, List<Integer> rates, int seconds, int runs) throws Exception {
        ObjectNode json = EventJson.MAPPER.createObjectNode();
        json.put("command", "./parley bench store --rates " + rates.toString().replaceAll("[\\[\\] ]", "")
                + " --seconds " + seconds + " --runs " + runs);
        ArrayNode rows = json.putArray("rates");
        System.out.println();
        System.out.println("| Rate | Message path's write (core-ms per message) | One row (same run) | Cassandra cores, path |");
        System.out.println("|---|---|---|---|");
        for (int rate : rates) {
            List<Double> path = new ArrayList<>();
            List<Double> one = new ArrayList<>();
            List<Double> cores = new ArrayList<>();
            ObjectNode r = rows.addObject().put("rate", rate);
            ArrayNode samples = r.putArray("samples");
            for (Window w : windows) {
                if (w.rate() != rate) {
                    continue;
                }
                (w.kind().equals("path") ? path : one).add(w.coreMsPerMessage());
                if (w.kind().equals("path")) {
                    cores.add(w.cassandraCores());
                }
                samples.addObject().put("kind", w.kind()).put("offered", w.offered()).put("written", w.written())
                        .put("cassandraCores", w.cassandraCores()).put("coreMsPerMessage", w.coreMsPerMessage());
            }
            r.put("pathCoreMsPerMessage", Stats.median(path)).put("rowCoreMsPerMessage", Stats.median(one))
                    .put("pathCassandraCores", Stats.median(cores));
            System.out.printf(Locale.ROOT, "| %,d msg/s | %.3f (runs %s) | %.3f (runs %s) | %.2f |%n", rate,
                    Stats.median(path), runsOf(path), Stats.median(one), runsOf(one), Stats.median(cores));
        }
        Path out = MessagingBenchmark.OUT.resolve("store-floor.json");
        Files.createDirectories(out.getParent());
        EventJson.MAPPER.writerWithDefaultPrettyPrinter().writeValue(out.toFile(), json);
        System.out.println("written to " + out);
    }

    private static String runsOf(List<Double> values) {
        List<String> s = new ArrayList<>();
        values.forEach(v -> s.add(String.format(Locale.ROOT, "%.3f", v)));
        return String.join("/", s);
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String name = args[i].startsWith("--") ? args[i].substring(2) : "";
            if (!List.of("rates", "seconds", "runs", "warmup").contains(name) || i + 1 >= args.length) {
                throw new IllegalArgumentException("not understood: " + args[i]);
            }
            options.put(name, args[++i]);
        }
        return options;
    }
}
