package im.parley.bench;

import com.datastax.oss.driver.api.core.CqlSession;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import im.parley.cassandra.CassandraSessions;
import im.parley.cassandra.CassandraSettings;
import im.parley.cassandra.CqlMigrations;
import im.parley.connection.ConnectionTier;
import im.parley.connection.TierSettings;
import im.parley.eventing.Actor;
import im.parley.eventing.EventJson;
import im.parley.eventing.EventTypes;
import im.parley.eventing.Events;
import im.parley.eventing.delivery.DeliveryBatch;
import im.parley.eventing.delivery.Frames;
import im.parley.eventing.group.GroupCreateRequested;
import im.parley.eventing.knative.KnativeNames;
import im.parley.eventing.message.ContentType;
import im.parley.eventing.message.DeviceRef;
import im.parley.eventing.message.Message;
import im.parley.eventing.sync.SyncRequested;
import im.parley.eventing.sync.SyncResponded;
import im.parley.eventing.runtime.EventingRuntime;
import im.parley.eventing.runtime.RuntimeSettings;
import im.parley.eventing.runtime.dispatch.DispatchSettings;
import im.parley.functions.hosting.FunctionDescriptor;
import im.parley.group.CassandraGroupStore;
import im.parley.group.GroupState;
import im.parley.group.Membership;
import im.parley.persist.CassandraMessageStore;
import im.parley.redis.DeliveryStreams;
import im.parley.stack.CassandraServer;
import im.parley.stack.KafkaServer;
import im.parley.stack.Ports;
import im.parley.stack.RedisServer;
import im.parley.sync.CassandraHistory;
import im.parley.sync.SyncFunction;
import io.cloudevents.CloudEvent;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The messaging targets P3 to P6, through the whole system on this machine: real sockets, the connection tier,
 * Kafka, the eventing runtime with every function in-process, Redis and Cassandra.
 * <ul>
 *   <li>P3: 1:1 latency from send to the recipient's socket at a steady rate; baseline: one bare Kafka hop
 *       (produce with acks=all, consume) at the same rate, in the same run. The pipeline has three such hops.</li>
 *   <li>P4: 1:1 throughput at rising offered rates, with every message acked (so persisted) and received;
 *       baseline: bare Kafka produce and consume of the same number of records.</li>
 *   <li>P5: one message to a 10,000-member group, every member online in two client processes: time until the
 *       last member has it, and deliveries/s for a burst; baseline: the same delivery batch written straight to
 *       the node's delivery stream (no Kafka, no functions).</li>
 *   <li>P6: a device catching up on 10,000 messages across 100 conversations, in pages of 1,000; baseline: the
 *       sync function reading the same pages in-process, with no Kafka, tier or Redis in between.</li>
 * </ul>
 * A P3 rate the pipeline cannot sustain is run once: its latency is mostly queueing.
 * Run: ./parley bench messaging [P3 rates] [seconds] [runs] [P4 rates] [group size] (rates comma-separated)
 */
public final class MessagingBenchmark {

    static final String SECRET = "bench-secret-that-is-at-least-32-bytes-long";
    static final String KEYSPACE = "bench";
    static final String NODE = "bench-node";
    static final Path OUT = Path.of("docs/benchmarks");

    private final ObjectNode json = EventJson.MAPPER.createObjectNode();
    private KafkaServer kafka;
    private RedisServer redis;
    private CassandraServer cassandra;
    private CqlSession cql;
    private EventingRuntime eventing;
    private ConnectionTier tier;
    private BenchSockets sockets;
    private KafkaProducer<String, byte[]> producer;

    public static void main(String[] args) throws Exception {
        int[] latencyRates = args.length > 0 ? Arrays.stream(args[0].split(",")).mapToInt(Integer::parseInt).toArray()
                : new int[] {50, 1_000};
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        int runs = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        int[] rates = args.length > 3 ? Arrays.stream(args[3].split(",")).mapToInt(Integer::parseInt).toArray()
                : new int[] {50, 100, 200, 400};
        int groupSize = args.length > 4 ? Integer.parseInt(args[4]) : 10_000;
        MessagingBenchmark bench = new MessagingBenchmark();
        try {
            bench.start();
            bench.json.put("benchmark", "messaging").put("date", Instant.now().toString()).put("runs", runs);
            for (int rate : latencyRates) {
                bench.latency(rate, seconds, runs);
            }
            bench.throughput(rates, seconds);
            bench.catchUp(runs);
            bench.groupFanout(groupSize, runs);
            Files.createDirectories(OUT);
            EventJson.MAPPER.writerWithDefaultPrettyPrinter().writeValue(OUT.resolve("messaging.json").toFile(), bench.json);
            System.out.println("wrote " + OUT.resolve("messaging.json") + " and messaging-*.png");
        } finally {
            bench.stop();
        }
        System.exit(0);
    }

    // ---------------------------------------------------------------------------------------------------- stack

    private void start() throws Exception {
        kafka = KafkaServer.ephemeral();
        redis = RedisServer.ephemeral();
        cassandra = CassandraServer.ephemeral();
        kafka.start();
        redis.start();
        cassandra.start();
        CassandraSettings settings = new CassandraSettings(cassandra.host(), cassandra.port(), cassandra.localDatacenter(),
                KEYSPACE, CassandraSettings.LOCAL_REPLICATION);
        try (CqlSession admin = CassandraSessions.connect(settings)) {
            CqlMigrations.apply(admin, settings);
        }
        cql = CassandraSessions.connectToKeyspace(settings);
        eventing = EventingRuntime.start(new RuntimeSettings(kafka.bootstrapServers(),
                Path.of(System.getenv().getOrDefault("PARLEY_MANIFESTS", "manifests/overlays/local")),
                Map.of(), FunctionDescriptor.discover(MessagingBenchmark.class.getClassLoader()).stream()
                .filter(f -> !f.service().startsWith("bench")).toList(),
                Map.of("PARLEY_REDIS_URI", redis.uri(),
                        "PARLEY_CASSANDRA_CONTACT_POINTS", cassandra.host() + ":" + cassandra.port(),
                        "PARLEY_CASSANDRA_DATACENTER", cassandra.localDatacenter(),
                        "PARLEY_CASSANDRA_KEYSPACE", KEYSPACE),
                DispatchSettings.defaults(), "127.0.0.1", -1));
        eventing.awaitReady(Duration.ofSeconds(120));
        // The per-connection rate limit is raised: the load generator sends from few sockets.
        tier = ConnectionTier.start(new TierSettings(NODE, "127.0.0.1", Ports.free(), Ports.free(),
                kafka.bootstrapServers(), KnativeNames.brokerTopic("parley", "default"), redis.uri(), SECRET, null, null,
                64 * 1024, 100_000, 100_000, 64 << 20, Duration.ofSeconds(60), Duration.ofSeconds(180),
                Duration.ofSeconds(300), Duration.ofSeconds(5), null, null, 0));
        sockets = new BenchSockets("127.0.0.1", tier.port(), SECRET, 1);
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, 1),
                new StringSerializer(), new ByteArraySerializer());
        kafka.createTopic("bench-hop", 24);
        System.out.println("stack up: Kafka, Redis, Cassandra, eventing runtime, connection tier on " + tier.port());
    }

    private void stop() {
        for (AutoCloseable c : new AutoCloseable[] {producer, sockets, tier, eventing, cql, cassandra, redis, kafka}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception e) {
                System.err.println("closing: " + e);
            }
        }
    }

    // ----------------------------------------------------------------------------------------------- 1:1 pairs

    /** Senders s<i> and receivers r<i>, each pair one conversation; receivers time each msg from its content. */
    private final class Pairs implements AutoCloseable {
        final List<BenchSockets.Conn> senders = new ArrayList<>();
        final List<BenchSockets.Conn> receivers = new ArrayList<>();
        final List<String> conversations = new ArrayList<>();
        final ConcurrentHashMap<String, Long> received = new ConcurrentHashMap<>();
        final Set<String> acked = ConcurrentHashMap.newKeySet();
        final AtomicInteger receivedCount = new AtomicInteger();

        Pairs(String prefix, int pairs) throws Exception {
            List<CompletableFuture<BenchSockets.Conn>> s = new ArrayList<>();
            List<CompletableFuture<BenchSockets.Conn>> r = new ArrayList<>();
            for (int i = 0; i < pairs; i++) {
                String sender = prefix + "s" + i;
                String receiver = prefix + "r" + i;
                conversations.add("d:" + receiver + ":" + sender);
                // 1:1 messages need friendship by default; the pairs are made friends as the friend function would.
                for (String[] way : new String[][] {{sender, receiver}, {receiver, sender}}) {
                    cql.execute("INSERT INTO friends (user_id, friend_id, since) VALUES (?, ?, toTimestamp(now()))", (Object[]) way);
                }
                s.add(sockets.open(sender, "d", text -> {
                    if (text.contains("\"t\":\"ack\"")) {
                        acked.add(field(text, "clientMsgId"));
                    }
                }));
                r.add(sockets.open(receiver, "d", text -> {
                    long now = System.nanoTime();
                    if (text.contains("\"t\":\"msg\"")) {
                        String content = field(text, "content");
                        if (received.putIfAbsent(field(text, "clientMsgId"), now - Long.parseLong(content)) == null) {
                            receivedCount.incrementAndGet();
                        }
                    }
                }));
            }
            for (int i = 0; i < pairs; i++) {
                senders.add(s.get(i).get(60, TimeUnit.SECONDS));
                receivers.add(r.get(i).get(60, TimeUnit.SECONDS));
            }
        }

        /** Sends count messages at rate per second, round-robin over the pairs; returns their ids. */
        List<String> send(String prefix, int count, int rate) {
            List<String> ids = new ArrayList<>(count);
            long start = System.nanoTime();
            long interval = 1_000_000_000L / rate;
            for (int i = 0; i < count; i++) {
                long due = start + i * interval;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
                int pair = i % senders.size();
                String id = prefix + i;
                ids.add(id);
                senders.get(pair).send("{\"v\":1,\"t\":\"send\",\"d\":{\"conversationId\":\"" + conversations.get(pair)
                        + "\",\"clientMsgId\":\"" + id + "\",\"contentType\":\"text\",\"content\":\"" + System.nanoTime() + "\"}}");
            }
            return ids;
        }

        /** Whether every id is received and acked in time; checks each id once it is in, so waiting stays cheap. */
        boolean awaitAll(List<String> ids, Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            int done = 0;
            while (System.nanoTime() < deadline) {
                while (done < ids.size() && received.containsKey(ids.get(done)) && acked.contains(ids.get(done))) {
                    done++;
                }
                if (done == ids.size()) {
                    return true;
                }
                Thread.sleep(20);
            }
            return false;
        }

        @Override
        public void close() {
            senders.forEach(BenchSockets.Conn::close);
            receivers.forEach(BenchSockets.Conn::close);
        }
    }

    static String field(String frame, String name) {
        try {
            return EventJson.MAPPER.readTree(frame).path("d").path(name).asText();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    // --------------------------------------------------------------------------------------------------- P3

    private void latency(int rate, int seconds, int requestedRuns) throws Exception {
        int runs = rate <= 100 ? requestedRuns : 1;
        ObjectNode p3 = json.withObject("/p3Latency").putObject(rate + "PerSecond").put("rate", rate).put("seconds", seconds)
                .put("runs", runs);
        List<Double> p50s = new ArrayList<>();
        List<Double> p99s = new ArrayList<>();
        List<Double> hop50s = new ArrayList<>();
        List<Double> hop99s = new ArrayList<>();
        long[] lastRun = null;
        try (Pairs pairs = new Pairs("lat" + rate + "-", 50)) {
            pairs.awaitAll(pairs.send("warm-", 200, 50), Duration.ofSeconds(120));
            for (int run = 1; run <= runs; run++) {
                long[] hop = kafkaHop(rate, seconds);
                List<String> ids = pairs.send("p3-" + run + "-", rate * seconds, rate);
                boolean all = pairs.awaitAll(ids, Duration.ofSeconds(300));
                long[] lat = ids.stream().map(pairs.received::get).filter(v -> v != null).mapToLong(Long::longValue).sorted().toArray();
                double p50 = pct(lat, 50) / 1e6;
                double p99 = pct(lat, 99) / 1e6;
                p50s.add(p50);
                p99s.add(p99);
                hop50s.add(pct(hop, 50) / 1e6);
                hop99s.add(pct(hop, 99) / 1e6);
                lastRun = lat;
                p3.withArray("samples").addObject().put("run", run).put("messages", ids.size()).put("received", lat.length)
                        .put("allAckedAndReceived", all).put("p50Ms", p50).put("p99Ms", p99)
                        .put("kafkaHopP50Ms", pct(hop, 50) / 1e6).put("kafkaHopP99Ms", pct(hop, 99) / 1e6);
                System.out.printf(Locale.ROOT, "P3 run %d: %d msgs at %d/s, all received %s: p50 %.2f ms p99 %.2f ms;"
                        + " one bare Kafka hop p50 %.2f ms p99 %.2f ms%n", run, ids.size(), rate, all, p50, p99,
                        pct(hop, 50) / 1e6, pct(hop, 99) / 1e6);
            }
        }
        p3.put("p50MsMedian", Stats.median(p50s)).put("p99MsMedian", Stats.median(p99s))
                .put("kafkaHopP50MsMedian", Stats.median(hop50s)).put("kafkaHopP99MsMedian", Stats.median(hop99s))
                .put("p50RatioToKafkaHop", Stats.median(p50s) / Stats.median(hop50s));
        System.out.printf(Locale.ROOT, "P3 median: p50 %.2f ms, p99 %.2f ms (bare Kafka hop p50 %.2f ms: %.1fx)%n",
                Stats.median(p50s), Stats.median(p99s), Stats.median(hop50s), Stats.median(p50s) / Stats.median(hop50s));
        LineChart.write(OUT.resolve("messaging-p3-latency-" + rate + ".png"), "1:1 send to receive at " + rate
                + " msg/s (last run)", "latency (ms)", "messages per bin", Map.of("full pipeline",
                histogram(lastRun, Math.max(0.5, pct(lastRun, 99.5) / 1e6 / 100))));
    }

    /** One bare Kafka hop: produce (acks=all) to consume, at rate, for seconds; latencies in ns. */
    private long[] kafkaHop(int rate, int seconds) throws Exception {
        int count = rate * seconds;
        long[] latencies = new long[count];
        AtomicInteger got = new AtomicInteger();
        AtomicReference<Exception> failure = new AtomicReference<>();
        String group = "hop-" + System.nanoTime();
        Thread consumer = new Thread(() -> {
            try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(Map.of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(), ConsumerConfig.GROUP_ID_CONFIG, group,
                    ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest"), new StringDeserializer(), new ByteArrayDeserializer())) {
                c.subscribe(List.of("bench-hop"));
                while (c.assignment().isEmpty()) {
                    c.poll(Duration.ofMillis(100));
                }
                c.seekToEnd(c.assignment());
                c.assignment().forEach(c::position);
                synchronized (latencies) {
                    latencies.notifyAll();
                }
                while (got.get() < count) {
                    for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(100))) {
                        long now = System.nanoTime();
                        int i = got.getAndIncrement();
                        if (i < count) {
                            latencies[i] = now - Long.parseLong(new String(r.value(), java.nio.charset.StandardCharsets.US_ASCII));
                        }
                    }
                }
            } catch (Exception e) {
                failure.set(e);
            }
        });
        synchronized (latencies) {
            consumer.start();
            latencies.wait(30_000);
        }
        long start = System.nanoTime();
        long interval = 1_000_000_000L / rate;
        for (int i = 0; i < count; i++) {
            long wait = start + i * interval - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            producer.send(new ProducerRecord<>("bench-hop", "d:r" + (i % 50) + ":s" + (i % 50),
                    Long.toString(System.nanoTime()).getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
        }
        consumer.join(60_000);
        if (failure.get() != null) {
            throw failure.get();
        }
        return Arrays.stream(latencies).sorted().toArray();
    }

    // --------------------------------------------------------------------------------------------------- P4

    private void throughput(int[] rates, int seconds) throws Exception {
        ObjectNode p4 = json.putObject("p4Throughput").put("seconds", seconds);
        Map<String, List<double[]>> curves = new LinkedHashMap<>();
        double best = 0;
        try (Pairs pairs = new Pairs("tp", 100)) {
            for (int rate : rates) {
                int count = rate * seconds;
                long t0 = System.nanoTime();
                List<double[]> curve = new ArrayList<>();
                Thread sampler = new Thread(() -> {
                    int before = pairs.receivedCount.get();
                    for (int s = 1; s <= seconds + 300 && !Thread.currentThread().isInterrupted(); s++) {
                        try {
                            Thread.sleep(1_000);
                        } catch (InterruptedException e) {
                            return;
                        }
                        int now = pairs.receivedCount.get();
                        curve.add(new double[] {s, now - before});
                        before = now;
                    }
                });
                sampler.start();
                List<String> ids = pairs.send("p4-" + rate + "-", count, rate);
                double sendSeconds = (System.nanoTime() - t0) / 1e9;
                boolean all = pairs.awaitAll(ids, Duration.ofSeconds(300));
                double totalSeconds = (System.nanoTime() - t0) / 1e9;
                sampler.interrupt();
                sampler.join();
                long received = ids.stream().filter(pairs.received::containsKey).count();
                long acked = ids.stream().filter(pairs.acked::contains).count();
                double achieved = received / totalSeconds;
                // Sustained: everything acked and received, and the backlog drained within 2 s of the last send.
                boolean sustained = all && totalSeconds - sendSeconds <= 2.0;
                if (sustained) {
                    best = Math.max(best, achieved);
                }
                curves.put(rate + " msg/s offered", List.copyOf(curve));
                p4.withArray("samples").addObject().put("offeredRate", rate).put("messages", count).put("acked", acked)
                        .put("received", received).put("sendSeconds", sendSeconds).put("drainedSeconds", totalSeconds)
                        .put("achievedRate", achieved).put("sustained", sustained);
                System.out.printf(Locale.ROOT, "P4 offered %d/s: %d sent in %.1f s, %d acked, %d received, all in %.1f s"
                        + " (%.0f msg/s)%s%n", rate, count, sendSeconds, acked, received, totalSeconds, achieved,
                        sustained ? ", sustained" : ", NOT sustained");
            }
        }
        double bare = bareKafkaThroughput(50_000);
        p4.put("highestSustainedRate", best).put("bareKafkaProduceConsumeRate", bare).put("ratioToBareKafka", best / bare);
        System.out.printf(Locale.ROOT, "P4: highest sustained %.0f msg/s with zero loss; bare Kafka produce+consume %.0f"
                + " records/s (%.3fx)%n", best, bare, best / bare);
        LineChart.write(OUT.resolve("messaging-p4-throughput.png"), "1:1 messages received per second", "seconds",
                "msg/s", curves);
    }

    /** Records produced (acks=all) and consumed back as fast as possible: the transport's ceiling. */
    private double bareKafkaThroughput(int count) throws Exception {
        byte[] payload = new byte[300];
        long t0 = System.nanoTime();
        for (int i = 0; i < count; i++) {
            producer.send(new ProducerRecord<>("bench-hop", "k" + (i % 100), payload));
        }
        producer.flush();
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(), ConsumerConfig.GROUP_ID_CONFIG,
                "bare-" + System.nanoTime(), ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            c.subscribe(List.of("bench-hop"));
            int got = 0;
            while (got < count) {
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(100))) {
                    if (r.value().length == payload.length) {
                        got++;
                    }
                }
            }
        }
        return count / ((System.nanoTime() - t0) / 1e9);
    }

    // --------------------------------------------------------------------------------------------------- P6

    private void catchUp(int runs) throws Exception {
        int conversations = 100;
        int perConversation = 100;
        CassandraMessageStore store = new CassandraMessageStore(cql);
        Instant now = Instant.now();
        List<CompletableFuture<Void>> writes = new ArrayList<>();
        for (int c = 0; c < conversations; c++) {
            String conversation = "d:catcher:peer" + c;
            for (int s = 1; s <= perConversation; s++) {
                Message m = new Message(conversation, "m" + s, s, new DeviceRef("peer" + c, "d"), ContentType.TEXT,
                        "message " + s + " of conversation " + c, now.plusMillis(s));
                writes.add(CompletableFuture.runAsync(() -> store.store(m)));
                if (writes.size() == 64) {
                    CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).join();
                    writes.clear();
                }
            }
        }
        CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).join();
        int total = conversations * perConversation;
        ObjectNode p6 = json.putObject("p6CatchUp").put("conversations", conversations).put("messages", total)
                .put("pageSize", SyncFunction.CATCH_UP_PAGE);
        List<Double> overSockets = new ArrayList<>();
        List<Double> inProcess = new ArrayList<>();
        SyncFunction direct = new SyncFunction(new CassandraHistory(cql), (node, event) -> lastDirect.set(event));
        for (int run = 1; run <= runs; run++) {
            double socketMs = catchUpOverSocket(run, total);
            double directMs = catchUpInProcess(direct, total);
            overSockets.add(socketMs);
            inProcess.add(directMs);
            p6.withArray("samples").addObject().put("run", run).put("overSocketMs", socketMs).put("inProcessMs", directMs);
            System.out.printf(Locale.ROOT, "P6 run %d: %d messages in %d conversations caught up in %.0f ms over the socket;"
                    + " the sync function alone %.0f ms%n", run, total, conversations, socketMs, directMs);
        }
        p6.put("overSocketMsMedian", Stats.median(overSockets)).put("inProcessMsMedian", Stats.median(inProcess))
                .put("ratioToInProcess", Stats.median(overSockets) / Stats.median(inProcess));
        System.out.printf(Locale.ROOT, "P6 median: %.0f ms over the socket, %.0f ms in-process (%.2fx)%n",
                Stats.median(overSockets), Stats.median(inProcess), Stats.median(overSockets) / Stats.median(inProcess));
        Map<String, LinkedHashMap<String, Double>> chart = new LinkedHashMap<>();
        chart.put("catch-up of " + total + " messages (ms)", new LinkedHashMap<>(Map.of(
                "sync function in-process", Stats.median(inProcess))));
        chart.get("catch-up of " + total + " messages (ms)").put("device over its socket", Stats.median(overSockets));
        BarChart.write(OUT.resolve("messaging-p6-catch-up.png"), "Catch-up, median of " + runs + " runs", "ms", chart);
    }

    private final AtomicReference<CloudEvent> lastDirect = new AtomicReference<>();

    private double catchUpOverSocket(int run, int total) throws Exception {
        java.util.concurrent.LinkedBlockingQueue<String> pages = new java.util.concurrent.LinkedBlockingQueue<>();
        BenchSockets.Conn device = sockets.open("catcher", "run" + run, text -> {
            if (text.contains("\"t\":\"sync\"")) {
                pages.add(text);
            }
        }).get(30, TimeUnit.SECONDS);
        try {
            Map<String, Long> cursors = new HashMap<>();
            int got = 0;
            long t0 = System.nanoTime();
            for (int page = 0; ; page++) {
                device.send("{\"v\":1,\"t\":\"sync\",\"d\":{\"requestId\":\"p" + page + "\",\"kind\":\"catch-up\",\"cursors\":"
                        + EventJson.MAPPER.writeValueAsString(cursors) + "}}");
                String text = pages.poll(30, TimeUnit.SECONDS);
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
            device.close();
        }
    }

    private double catchUpInProcess(SyncFunction sync, int total) {
        Map<String, Long> cursors = new HashMap<>();
        int got = 0;
        long t0 = System.nanoTime();
        for (int page = 0; ; page++) {
            sync.apply(Events.create(EventTypes.SYNC_REQUESTED, new SyncRequested("p" + page, SyncRequested.Kind.CATCH_UP,
                    null, null, null, Map.copyOf(cursors), null), new Actor("catcher", "direct", "nowhere"), URI.create("/bench")));
            SyncResponded answer = Events.data(EventTypes.SYNC_RESPONDED, lastDirect.get());
            for (Message m : answer.messages()) {
                cursors.merge(m.conversationId(), m.serverSeq(), Math::max);
                got++;
            }
            if (!answer.hasMore()) {
                break;
            }
        }
        if (got != total) {
            throw new IllegalStateException("in-process catch-up got " + got + " of " + total);
        }
        return (System.nanoTime() - t0) / 1e6;
    }

    // --------------------------------------------------------------------------------------------------- P5

    private void groupFanout(int size, int runs) throws Exception {
        String groupId = "bench-" + size;
        List<String> members = IntStream.range(0, size).mapToObj(i -> "gm" + i).toList();
        GroupState group = new Membership(Math.max(size + 1, 10_000)).create(null, "gsender",
                new GroupCreateRequested(groupId, "Bench", members, false), "bench-create");
        CassandraGroupStore groups = new CassandraGroupStore(cql);
        groups.record(group);
        groups.apply(group.lastChange());

        int processes = 2;
        List<BenchProcess> clients = new ArrayList<>();
        ConcurrentHashMap<String, long[]> done = new ConcurrentHashMap<>();
        Vertx vertx = Vertx.vertx();
        Redis redisClient = Redis.createClient(vertx, redis.uri());
        try {
            long t0 = System.nanoTime();
            for (int p = 0; p < processes; p++) {
                int from = p * size / processes;
                int to = (p + 1) * size / processes;
                clients.add(BenchProcess.java(List.of("-Xmx512m", "-XX:+UseSerialGC"), GroupMembers.class.getName(),
                        List.of("127.0.0.1", String.valueOf(tier.port()), SECRET, "gm", String.valueOf(from), String.valueOf(to)),
                        Map.of()));
            }
            for (BenchProcess client : clients) {
                client.await("ready", 600);
            }
            System.out.printf(Locale.ROOT, "P5: %d members online in %d processes after %.0f s%n", size, processes,
                    (System.nanoTime() - t0) / 1e9);
            List<Thread> readers = new ArrayList<>();
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
                });
                reader.setDaemon(true);
                reader.start();
                readers.add(reader);
            }
            BenchSockets.Conn sender = sockets.open("gsender", "d", text -> { }).get(30, TimeUnit.SECONDS);
            DeliveryStreams streams = new DeliveryStreams(redisClient);
            List<DeviceRef> targets = members.stream().map(m -> new DeviceRef(m, "d")).toList();
            ObjectNode p5 = json.putObject("p5GroupFanout").put("members", size).put("clientProcesses", processes);
            List<Double> pipeline = new ArrayList<>();
            List<Double> direct = new ArrayList<>();
            List<Double> burstRates = new ArrayList<>();
            // One warm-up message through the pipeline.
            timeToAll(done, processes, "warm", () -> sender.send(groupSend(groupId, "warm")));
            for (int run = 1; run <= runs; run++) {
                for (int i = 0; i < 3; i++) {
                    String id = "one-" + run + "-" + i;
                    pipeline.add(timeToAll(done, processes, id, () -> sender.send(groupSend(groupId, id))));
                    String directId = "direct-" + run + "-" + i;
                    ObjectNode frame = Frames.of("msg", EventJson.MAPPER.createObjectNode().put("conversationId", "g:" + groupId)
                            .put("clientMsgId", directId).put("serverSeq", 0));
                    direct.add(timeToAll(done, processes, directId, () -> streams.send(
                            new DeliveryBatch(NODE, List.of(new DeliveryBatch.Item(targets, frame))), "bench")));
                }
                int burst = 20;
                long start = System.nanoTime();
                for (int i = 0; i < burst; i++) {
                    sender.send(groupSend(groupId, "burst-" + run + "-" + i));
                }
                long last = 0;
                for (int i = 0; i < burst; i++) {
                    last = Math.max(last, awaitDone(done, processes, "burst-" + run + "-" + i));
                }
                double rate = (double) burst * size / ((last - start) / 1e9);
                burstRates.add(rate);
                p5.withArray("samples").addObject().put("run", run)
                        .putPOJO("oneMessageMs", List.copyOf(pipeline.subList(pipeline.size() - 3, pipeline.size())))
                        .putPOJO("directDeliveryMs", List.copyOf(direct.subList(direct.size() - 3, direct.size())))
                        .put("burstMessages", burst).put("burstDeliveriesPerSecond", rate);
                System.out.printf(Locale.ROOT, "P5 run %d: one message to all %d in %s ms (straight to the node's stream: %s ms);"
                        + " burst of %d: %.0f deliveries/s%n", run, size, fmt(pipeline.subList(pipeline.size() - 3, pipeline.size())),
                        fmt(direct.subList(direct.size() - 3, direct.size())), burst, rate);
            }
            p5.put("oneMessageMsMedian", Stats.median(pipeline)).put("directDeliveryMsMedian", Stats.median(direct))
                    .put("ratioToDirect", Stats.median(pipeline) / Stats.median(direct))
                    .put("burstDeliveriesPerSecondMedian", Stats.median(burstRates));
            System.out.printf(Locale.ROOT, "P5 median: %.0f ms to all %d members (direct to the stream %.0f ms, %.1fx);"
                    + " %.0f deliveries/s in bursts%n", Stats.median(pipeline), size, Stats.median(direct),
                    Stats.median(pipeline) / Stats.median(direct), Stats.median(burstRates));
            Map<String, LinkedHashMap<String, Double>> chart = new LinkedHashMap<>();
            LinkedHashMap<String, Double> bars = new LinkedHashMap<>();
            bars.put("written straight to the node's stream", Stats.median(direct));
            bars.put("full pipeline", Stats.median(pipeline));
            chart.put("one message to all " + size + " members (ms)", bars);
            BarChart.write(OUT.resolve("messaging-p5-group-fanout.png"), "Group fan-out, median of " + runs + " runs", "ms", chart);
            sender.close();
        } finally {
            clients.forEach(BenchProcess::close);
            redisClient.close();
            vertx.close();
        }
    }

    static String groupSend(String groupId, String id) {
        return "{\"v\":1,\"t\":\"send\",\"d\":{\"conversationId\":\"g:" + groupId + "\",\"clientMsgId\":\"" + id
                + "\",\"contentType\":\"text\",\"content\":\"hello everyone\"}}";
    }

    private static double timeToAll(Map<String, long[]> done, int processes, String id, Runnable send) throws InterruptedException {
        long start = System.nanoTime();
        send.run();
        return (awaitDone(done, processes, id) - start) / 1e6;
    }

    private static long awaitDone(Map<String, long[]> done, int processes, String id) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            long[] d = done.get(id);
            if (d != null && d[0] == processes) {
                return d[1];
            }
            Thread.sleep(1);
        }
        throw new IllegalStateException("message " + id + " did not reach every member");
    }

    // --------------------------------------------------------------------------------------------------- figures

    static double pct(long[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100 * sorted.length) - 1)];
    }

    static List<double[]> histogram(long[] sortedNanos, double binMs) {
        double limit = pct(sortedNanos, 99.5) / 1e6;
        int bins = (int) Math.ceil(limit / binMs) + 1;
        double[] counts = new double[bins];
        for (long v : sortedNanos) {
            int b = (int) ((v / 1e6) / binMs);
            if (b < bins) {
                counts[b]++;
            }
        }
        List<double[]> points = new ArrayList<>();
        for (int b = 0; b < bins; b++) {
            points.add(new double[] {b * binMs, counts[b]});
        }
        return points;
    }

    static String fmt(List<Double> values) {
        return values.stream().map(v -> String.format(Locale.ROOT, "%.0f", v)).reduce((a, b) -> a + "/" + b).orElse("");
    }

    private MessagingBenchmark() {
    }
}
