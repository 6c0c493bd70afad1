package im.parley.bench;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import im.parley.cassandra.CassandraSessions;
import im.parley.cassandra.CassandraSettings;
import im.parley.cassandra.CqlMigrations;
import im.parley.cassandra.MessageBuckets;
import im.parley.delivery.RedisDeliveries;
import im.parley.eventing.Actor;
import im.parley.eventing.EventJson;
import im.parley.eventing.EventTypes;
import im.parley.eventing.Events;
import im.parley.eventing.broker.KafkaBrokerSink;
import im.parley.eventing.delivery.DeliveryBatch;
import im.parley.eventing.delivery.DeliveryChannel;
import im.parley.eventing.delivery.Frames;
import im.parley.eventing.frame.AckFrame;
import im.parley.eventing.knative.KnativeNames;
import im.parley.eventing.message.ContentType;
import im.parley.eventing.message.ConversationIds;
import im.parley.eventing.message.DeviceRef;
import im.parley.eventing.message.Message;
import im.parley.eventing.message.MessageSent;
import im.parley.eventing.presence.PresenceRecords;
import im.parley.launcher.LocalLauncher;
import im.parley.membership.CassandraGroups;
import im.parley.messages.RecentSeqs;
import im.parley.persist.CassandraMessageStore;
import im.parley.redis.RedisConnections;
import im.parley.sequence.CassandraSeqLedger;
import im.parley.sequence.GraphPostingRights;
import im.parley.sequence.RedisSeqCache;
import im.parley.sequence.SeqCache;
import im.parley.sequence.SequenceAllocator;
import im.parley.social.CassandraSocialGraph;
import im.parley.stack.CassandraServer;
import im.parley.stack.DataDir;
import im.parley.stack.KafkaServer;
import im.parley.stack.Ports;
import im.parley.stack.RedisServer;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * What the stores alone cost per message on this machine, with nothing else of the stack running: Kafka, Redis and
 * Cassandra, each started as {@code ./parley up} starts it ({@link LocalLauncher}'s settings and heaps), fed open-loop
 * at steady rates by this process. Three kinds of load, alternated, each window counting every store's CPU and
 * this process's (the adapters' side of every call, which the launcher pays in the stack):
 * <ul>
 *   <li>{@code stores}: each store's share of a 1:1 message, through the real adapters: the event produced to the
 *       messages broker's topic as the tier produces it and read by a consumer as the Trigger reads it; the seq
 *       ({@link SequenceAllocator} over Redis, the stored mark known in the process); the write
 *       ({@link CassandraMessageStore}); the delivery script ({@link RedisDeliveries}: the recipient's frame and the
 *       sender's ack on a node's stream), and that stream read as a node reads it;</li>
 *   <li>{@code batched}: the same work, done for several messages at once ({@link Batches}): what coalescing a
 *       function's requests in flight would save;</li>
 *   <li>{@code path}: the Cassandra write alone;</li>
 *   <li>{@code row}: the messages row alone, the least any message store writes.</li>
 * </ul>
 * What the stores take of the two cores at a rate is not left for the launcher and the clients.
 *
 * <p>{@code ./parley bench store [--rates 1000,3000] [--seconds 30] [--runs 3] [--warmup 45]}
 */
public final class StoreFloorBenchmark {

    static final int CONVERSATIONS = 100;
    /** Threads that take a conversation's messages in turn: enough that this process never holds a rate back. */
    static final int LANES = 50;
    static final int MAX_IN_FLIGHT = 512;
    static final String NODE = "floor-node";
    static final String NAMESPACE = "floor";
    static final List<String> KINDS = List.of("stores", "batched", "path", "row");
    /** The messages broker's partitions: ordered delivery hands a function one message of each at a time. */
    static final int PARTITIONS = LocalLauncher.DEFAULT_PARTITIONS;
    /** Groups of messages a function works on at once in the batched load: one forms while another is stored. */
    static final int GROUPS_IN_FLIGHT = 2;
    static final String USAGE = "usage: ./parley bench store [--rates 1000,3000] [--seconds 30] [--runs 3] [--warmup 45]";

    private final Servers servers;
    private final CqlSession session;
    private final CassandraMessageStore store;
    private final PreparedStatement row;
    private final RecentSeqs recent = new RecentSeqs();
    private final SequenceAllocator allocator;
    private final RedisDeliveries deliveries;
    private final KafkaBrokerSink sink;
    private final long[] seqs = new long[CONVERSATIONS];
    private final RedisSeqCache seqCache;
    private final Batches batches = new Batches();
    /** A conversation's messages are taken by one lane, one at a time, as ordered delivery takes a partition's. */
    private final List<ExecutorService> lanes = new ArrayList<>();
    private final AtomicLong consumed = new AtomicLong();
    private final AtomicLong streamed = new AtomicLong();
    private volatile boolean running = true;

    record Servers(KafkaServer kafka, RedisServer redis, CassandraServer cassandra) {
        List<Long> pids() {
            return List.of(kafka.pid(), redis.pid(), cassandra.pid());
        }
    }

    StoreFloorBenchmark(Servers servers, CqlSession session, Redis redis) {
        this.servers = servers;
        this.session = session;
        this.store = new CassandraMessageStore(session);
        // The messages row alone, as the store writes it.
        this.row = session.prepare("INSERT INTO messages (conversation_id, bucket, server_seq, client_msg_id, sender_user,"
                + " sender_device, content_type, content, sent_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
        this.seqCache = new RedisSeqCache(redis, Duration.ofMinutes(10));
        this.allocator = new SequenceAllocator(seqCache, new CassandraSeqLedger(session),
                new GraphPostingRights(new CassandraSocialGraph(session), new CassandraGroups(session), false), recent);
        this.deliveries = new RedisDeliveries(redis);
        this.sink = new KafkaBrokerSink(servers.kafka().bootstrapServers(), NAMESPACE, "floor-tier", Duration.ofSeconds(5));
        for (int i = 0; i < LANES; i++) {
            lanes.add(Executors.newSingleThreadExecutor());
        }
        // Both users of every conversation online on one node, so that each message is streamed to it.
        long expires = System.currentTimeMillis() + Duration.ofHours(2).toMillis();
        List<Request> online = new ArrayList<>();
        for (int c = 0; c < CONVERSATIONS; c++) {
            for (String user : List.of(sender(c), recipient(c), BATCHED + sender(c), BATCHED + recipient(c))) {
                online.add(Request.cmd(Command.HSET).arg(PresenceRecords.key(user)).arg("d1")
                        .arg(PresenceRecords.value(NODE, expires)));
            }
        }
        RedisConnections.batch(redis, online);
    }

    /**
     * How a rate was held for one kind of load: each store's CPU over the window, this process's (the adapters' side
     * of every call, which the launcher's functions pay), and what was done in it.
     */
    record Window(String kind, int rate, long offered, long done, Map<String, Double> cpuSeconds, double seconds,
                  double groupSize) {

        double cores(String part) {
            return cpuSeconds.get(part) / seconds;
        }

        double coreMsPerMessage(String part) {
            return done == 0 ? Double.NaN : cpuSeconds.get(part) * 1000.0 / done;
        }

        /** The three stores together. */
        double coreMsPerMessage() {
            return done == 0 ? Double.NaN : STORES.stream().mapToDouble(cpuSeconds::get).sum() * 1000.0 / done;
        }
    }

    static final List<String> STORES = List.of("Kafka", "Redis", "Cassandra");
    static final String CLIENT = "this process";

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
        // The servers of ./parley up, on temporary directories and free ports.
        Servers servers = new Servers(LocalLauncher.kafkaServer(DataDir.temporary("kafka"), Ports.free(), Ports.free()),
                LocalLauncher.redisServer(DataDir.temporary("redis"), Ports.free()),
                LocalLauncher.cassandraServer(DataDir.temporary("cassandra"), Ports.free(), Ports.free()));
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
        try {
            servers.kafka().start();
            servers.kafka().createTopic(KnativeNames.brokerTopic(NAMESPACE, "messages"),
                    LocalLauncher.DEFAULT_PARTITIONS);
            servers.redis().start();
            servers.cassandra().start();
            CassandraServer cassandra = servers.cassandra();
            CassandraSettings settings = CassandraSettings.local(cassandra.host(), cassandra.port(), cassandra.localDatacenter());
            try (CqlSession admin = CassandraSessions.connect(settings)) {
                CqlMigrations.apply(admin, settings);
            }
            Redis redis = RedisConnections.fromEnvironment(vertx,
                    (name, fallback) -> name.equals("PARLEY_REDIS_URI") ? servers.redis().uri() : fallback);
            try (CqlSession session = CassandraSessions.connectToKeyspace(settings)) {
                StoreFloorBenchmark bench = new StoreFloorBenchmark(servers, session, redis);
                try {
                    bench.run(rates, seconds, runs, warmup);
                } finally {
                    bench.close();
                }
            }
        } finally {
            vertx.close();
            servers.cassandra().stop();
            servers.redis().stop();
            servers.kafka().stop();
        }
    }

    private void run(List<Integer> rates, int seconds, int runs, int warmup) throws Exception {
        Thread trigger = new Thread(this::consume, "floor-trigger");
        Thread node = new Thread(this::readStream, "floor-node");
        trigger.start();
        node.start();
        System.out.printf("warming up: %d s of each kind of load at %d/s%n", warmup, rates.get(0));
        for (String kind : KINDS) {
            hold(kind, rates.get(0), warmup);
        }
        List<Window> windows = new ArrayList<>();
        for (int run = 1; run <= runs; run++) {
            for (int rate : rates) {
                // Rotating which goes first, so that none always follows another's compactions.
                for (int k = 0; k < KINDS.size(); k++) {
                    String kind = KINDS.get((k + run - 1) % KINDS.size());
                    Window w = hold(kind, rate, seconds);
                    windows.add(w);
                    System.out.printf(Locale.ROOT, "run %d  %-6s at %5d/s: %d of %d done; Kafka %.3f, Redis %.3f,"
                                    + " Cassandra %.3f, this process %.3f cores; stores %.3f core-ms per message%n", run, kind,
                            rate, w.done(), w.offered(), w.cores("Kafka"), w.cores("Redis"), w.cores("Cassandra"),
                            w.cores(CLIENT), w.coreMsPerMessage());
                    if (!Double.isNaN(w.groupSize())) {
                        System.out.printf(Locale.ROOT, "       %.1f messages a group on average%n", w.groupSize());
                    }
                }
            }
        }
        running = false;
        trigger.join();
        node.join();
        report(windows, rates, seconds, runs);
    }

    /** Offers {@code rate} messages a second for {@code seconds}, open loop; what is not done by the end is not counted. */
    private Window hold(String kind, int rate, int seconds) throws Exception {
        Semaphore inFlight = new Semaphore(MAX_IN_FLIGHT);
        AtomicLong done = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        AtomicReference<Throwable> firstFailure = new AtomicReference<>();
        long offered = (long) rate * seconds;
        long consumedBefore = consumed.get();
        long streamedBefore = streamed.get();
        long groupsBefore = batches.groups.get();
        long groupedBefore = batches.grouped.get();
        Map<String, Double> before = cpu();
        long start = System.nanoTime();
        for (long i = 0; i < offered; i++) {
            long due = start + i * 1_000_000_000L / rate;
            for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
                LockSupport.parkNanos(Math.min(wait, 200_000));
            }
            if (!inFlight.tryAcquire()) {
                continue; // the stores are not keeping up: the offer is dropped, and shows as not done
            }
            int conversation = (int) (i % CONVERSATIONS);
            CompletableFuture<?> work = switch (kind) {
                case "stores" -> stores(conversation);
                case "batched" -> CompletableFuture.allOf(produceBatched(conversation),
                        batches.submit(conversation));
                case "path" -> {
                    Message m = next(conversation);
                    yield CompletableFuture.runAsync(() -> store.store(m, false), lanes.get(conversation % LANES));
                }
                default -> {
                    Message m = next(conversation);
                    yield session.executeAsync(row.bind(m.conversationId(), MessageBuckets.of(m.serverSeq()), m.serverSeq(),
                            m.clientMsgId(), m.sender().userId(), m.sender().deviceId(), "text", m.content(), m.sentAt()))
                            .toCompletableFuture();
                }
            };
            work.whenComplete((ok, e) -> {
                (e == null ? done : failed).incrementAndGet();
                if (e != null) {
                    firstFailure.compareAndSet(null, e);
                }
                inFlight.release();
            });
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        Map<String, Double> after = cpu();
        Map<String, Double> used = new LinkedHashMap<>();
        before.forEach((part, cpu) -> used.put(part, after.get(part) - cpu));
        long finished = done.get();
        inFlight.acquire(MAX_IN_FLIGHT); // the next window starts with nothing left over
        inFlight.release(MAX_IN_FLIGHT);
        if (failed.get() > 0) {
            System.out.printf("%d %s messages failed, the first with: %s%n", failed.get(), kind, firstFailure.get());
        }
        if (kind.equals("stores") || kind.equals("batched")) {
            awaitCount(consumed, consumedBefore + finished, "consumed");
            awaitCount(streamed, streamedBefore + 2 * finished, "streamed");
        }
        long groups = batches.groups.get() - groupsBefore;
        return new Window(kind, rate, offered, finished, used, elapsed,
                groups == 0 ? Double.NaN : (batches.grouped.get() - groupedBefore) / (double) groups);
    }

    /** A message's work in every store: produced, and in its lane sequenced, stored and delivered. */
    private CompletableFuture<?> stores(int conversation) {
        String conversationId = conversationId(conversation);
        String clientMsgId = UUID.randomUUID().toString();
        Actor sender = new Actor(sender(conversation), "d1", NODE);
        String content = content(clientMsgId);
        CompletableFuture<Void> produced = produce(conversationId, clientMsgId, sender, content);
        CompletableFuture<Void> handled = CompletableFuture.runAsync(() -> {
            if (!(allocator.sequence(conversationId, clientMsgId, sender.userId(), false)
                    instanceof SequenceAllocator.Sequenced sequenced)) {
                throw new IllegalStateException("not sequenced: " + conversationId + "/" + clientMsgId);
            }
            Message stored = store.store(new Message(conversationId, clientMsgId, sequenced.seq(),
                    new DeviceRef(sender.userId(), "d1"), ContentType.TEXT, content, Instant.now()), sequenced.duplicate());
            recent.stored(conversationId, stored.serverSeq());
            RedisDeliveries.ToUsers d = delivery(stored, sender, recipient(conversation));
            deliveries.toUsers(d.users(), d.except(), d.frame(), d.once(), d.addressed());
        }, lanes.get(conversation % LANES));
        return CompletableFuture.allOf(produced, handled);
    }

    /** A stored message's delivery as fanout makes it: the frame to both users but the sending device, its ack to that. */
    private static RedisDeliveries.ToUsers delivery(Message m, Actor sender, String recipient) {
        var ack = Frames.of(new AckFrame(m.clientMsgId(), m.conversationId(), m.serverSeq()));
        return new RedisDeliveries.ToUsers(List.of(sender.userId(), recipient), new DeviceRef(sender.userId(), "d1"),
                Frames.of("msg", m), "msg:" + m.conversationId() + ":" + m.serverSeq(),
                List.of(DeliveryBatch.toActor(sender, ack)));
    }

    private static String content(String clientMsgId) {
        return "message of a chat between two friends, " + clientMsgId.substring(0, 8);
    }

    /** The event of a message, produced as the tier produces it. */
    private CompletableFuture<Void> produce(String conversationId, String clientMsgId, Actor sender, String content) {
        return sink.publish(Events.create(EventTypes.MESSAGE_SENT,
                new MessageSent(conversationId, clientMsgId, ContentType.TEXT, content), sender, Events.nodeSource(NODE)))
                .toCompletableFuture();
    }

    /** A batched message's event; its work in the other stores is done by {@link Batches}. */
    private CompletableFuture<Void> produceBatched(int c) {
        String clientMsgId = UUID.randomUUID().toString();
        return produce(batchedConversationId(c), clientMsgId, new Actor(BATCHED + sender(c), "d1", NODE), content(clientMsgId));
    }

    /**
     * The batched load: the same work per message as {@code stores}, done for several messages at once, as a function
     * could if it coalesced the requests in flight. Ordered delivery gives it one message of each partition at a time,
     * so a group holds at most one per partition: whatever partitions have waiting when a group forms. Each group is
     * sequenced in one Redis call ({@link RedisSeqCache#nextAll}), stored in one Cassandra request
     * ({@link CassandraMessageStore#storeAll}) and delivered in one Redis call ({@link RedisDeliveries#toUsersAll}).
     */
    private final class Batches {
        private record Waiting(int conversation, CompletableFuture<Void> done) {
        }

        private final List<ArrayDeque<Waiting>> waiting = new ArrayList<>();
        private final boolean[] busy = new boolean[PARTITIONS];
        private final SeqCache.Stored[] stored = new SeqCache.Stored[CONVERSATIONS];
        private final ExecutorService workers = Executors.newFixedThreadPool(GROUPS_IN_FLIGHT);
        private int inFlight;
        final AtomicLong groups = new AtomicLong();
        final AtomicLong grouped = new AtomicLong();

        Batches() {
            for (int p = 0; p < PARTITIONS; p++) {
                waiting.add(new ArrayDeque<>());
            }
        }

        CompletableFuture<Void> submit(int conversation) {
            CompletableFuture<Void> done = new CompletableFuture<>();
            synchronized (this) {
                waiting.get(conversation % PARTITIONS).add(new Waiting(conversation, done));
            }
            pump();
            return done;
        }

        /** Starts groups while fewer than {@link #GROUPS_IN_FLIGHT} are in flight and some partition has a message. */
        private void pump() {
            while (true) {
                List<Integer> group = new ArrayList<>();
                List<CompletableFuture<Void>> futures = new ArrayList<>();
                List<Integer> partitions = new ArrayList<>();
                synchronized (this) {
                    if (inFlight >= GROUPS_IN_FLIGHT) {
                        return;
                    }
                    for (int p = 0; p < PARTITIONS; p++) {
                        if (!busy[p] && !waiting.get(p).isEmpty()) {
                            busy[p] = true;
                            partitions.add(p);
                            Waiting next = waiting.get(p).poll();
                            futures.add(next.done());
                            group.add(next.conversation());
                        }
                    }
                    if (group.isEmpty()) {
                        return;
                    }
                    inFlight++;
                }
                groups.incrementAndGet();
                grouped.addAndGet(group.size());
                workers.execute(() -> {
                    Throwable failure = null;
                    try {
                        work(group);
                    } catch (RuntimeException e) {
                        failure = e;
                    }
                    synchronized (this) {
                        inFlight--;
                        partitions.forEach(p -> busy[p] = false);
                    }
                    for (CompletableFuture<Void> f : futures) {
                        if (failure == null) {
                            f.complete(null);
                        } else {
                            f.completeExceptionally(failure);
                        }
                    }
                    pump();
                });
            }
        }

        /** One group's seqs, writes and deliveries: one request to each store. */
        private void work(List<Integer> group) {
            List<RedisSeqCache.Next> calls = new ArrayList<>(group.size());
            List<String> ids = new ArrayList<>(group.size());
            List<SeqCache.Turn> turns = new ArrayList<>(group.size());
            for (int c : group) {
                // Each message is sequenced in a turn of its own, which takes its conversation over.
                SeqCache.Turn turn = new SeqCache.Turn(batchedConversationId(c));
                turns.add(turn);
                String clientMsgId = UUID.randomUUID().toString();
                ids.add(clientMsgId);
                // The right and the seed are used only where Redis has none: at each conversation's first message.
                calls.add(new RedisSeqCache.Next(turn, clientMsgId, BATCHED + sender(c), new SeqCache.Fill(null, "0"),
                        OptionalLong.of(0), stored[c]));
            }
            List<SeqCache.Step> steps = seqCache.nextAll(calls);
            List<Message> messages = new ArrayList<>(group.size());
            for (int i = 0; i < group.size(); i++) {
                if (!(steps.get(i) instanceof SeqCache.Allocated allocated)) {
                    throw new IllegalStateException("not sequenced: " + steps.get(i));
                }
                int c = group.get(i);
                messages.add(new Message(batchedConversationId(c), ids.get(i), allocated.seq(),
                        new DeviceRef(BATCHED + sender(c), "d1"), ContentType.TEXT, content(ids.get(i)), Instant.now()));
            }
            store.storeAll(messages);
            List<RedisDeliveries.ToUsers> frames = new ArrayList<>(group.size());
            for (int i = 0; i < group.size(); i++) {
                int c = group.get(i);
                Message m = messages.get(i);
                stored[c] = new SeqCache.Stored(m.serverSeq(), turns.get(i).counter());
                frames.add(delivery(m, new Actor(BATCHED + sender(c), "d1", NODE), BATCHED + recipient(c)));
            }
            deliveries.toUsersAll(frames);
        }

        void close() {
            workers.shutdownNow();
        }
    }

    /** The messages broker's topic read as the Trigger reads it: one group, committed transactions only. */
    private void consume() {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, servers.kafka().bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "floor-trigger",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(KnativeNames.brokerTopic(NAMESPACE, "messages")));
            long nextCommit = System.nanoTime();
            while (running) {
                consumed.addAndGet(consumer.poll(Duration.ofMillis(100)).count());
                if (System.nanoTime() - nextCommit >= 0) {
                    consumer.commitAsync();
                    nextCommit = System.nanoTime() + 1_000_000_000L;
                }
            }
        }
    }

    /** The node's delivery stream read as a node reads it, a blocking read for whatever is new. */
    private void readStream() {
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
        try {
            Redis reader = RedisConnections.fromEnvironment(vertx,
                    (name, fallback) -> name.equals("PARLEY_REDIS_URI") ? servers.redis().uri() : fallback);
            String last = "$";
            while (running) {
                var answer = RedisConnections.await(reader.send(Request.cmd(Command.XREAD).arg("COUNT").arg(1000)
                        .arg("BLOCK").arg(100).arg("STREAMS").arg(DeliveryChannel.streamKey(NODE)).arg(last)));
                if (answer == null) {
                    continue;
                }
                // RESP3 answers a map of streams, RESP2 an array of [stream, entries].
                var entries = answer.isMap() ? answer.get(DeliveryChannel.streamKey(NODE)) : answer.get(0).get(1);
                streamed.addAndGet(entries.size());
                last = entries.get(entries.size() - 1).get(0).toString();
            }
        } finally {
            vertx.close();
        }
    }

    private static void awaitCount(AtomicLong counter, long expected, String what) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (counter.get() < expected && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        if (counter.get() < expected) {
            System.out.printf("only %d of %d %s%n", counter.get(), expected, what);
        }
    }

    private Map<String, Double> cpu() throws Exception {
        Map<String, Double> seconds = new LinkedHashMap<>();
        List<Long> pids = servers.pids();
        for (int i = 0; i < STORES.size(); i++) {
            seconds.put(STORES.get(i), BenchProcess.cpuSeconds(pids.get(i)));
        }
        seconds.put(CLIENT, BenchProcess.cpuSeconds(ProcessHandle.current().pid()));
        return seconds;
    }

    private static String conversationId(int conversation) {
        return ConversationIds.direct(sender(conversation), recipient(conversation));
    }

    static final String BATCHED = "batched-";

    private static String batchedConversationId(int conversation) {
        return ConversationIds.direct(BATCHED + sender(conversation), BATCHED + recipient(conversation));
    }

    private static String sender(int conversation) {
        return "floor-a" + conversation;
    }

    private static String recipient(int conversation) {
        return "floor-b" + conversation;
    }

    /** For the Cassandra-only loads: the next seq of a conversation of their own, apart from the sequenced ones. */
    private Message next(int conversation) {
        long seq = ++seqs[conversation];
        return new Message(ConversationIds.direct("row-a" + conversation, "row-b" + conversation),
                UUID.randomUUID().toString(), seq, new DeviceRef("row-a" + conversation, "d1"),
                ContentType.TEXT, "message " + seq + " of a chat between two friends", Instant.now());
    }

    private void close() {
        running = false;
        lanes.forEach(ExecutorService::shutdownNow);
        batches.close();
        sink.close();
    }

    private static void report(List<Window> windows, List<Integer> rates, int seconds, int runs) throws Exception {
        ObjectNode json = EventJson.MAPPER.createObjectNode();
        json.put("command", "./parley bench store --rates " + rates.toString().replaceAll("[\\[\\] ]", "")
                + " --seconds " + seconds + " --runs " + runs);
        ArrayNode rows = json.putArray("rates");
        List<String> parts = new ArrayList<>(STORES);
        parts.add(CLIENT);
        System.out.println();
        System.out.println("| Rate | Load | Done, of offered | The three stores, core-ms per message | Kafka | Redis | Cassandra"
                + " | This process | Cores, the stores and this process |");
        System.out.println("|---|---|---|---|---|---|---|---|---|");
        for (int rate : rates) {
            ObjectNode r = rows.addObject().put("rate", rate);
            ArrayNode samples = r.putArray("samples");
            for (String kind : KINDS) {
                List<Window> these = windows.stream().filter(w -> w.rate() == rate && w.kind().equals(kind)).toList();
                List<Double> total = these.stream().map(Window::coreMsPerMessage).toList();
                double done = Stats.median(these.stream().map(w -> w.done() / (double) w.offered()).toList());
                ObjectNode k = r.putObject(kind).put("coreMsPerMessage", Stats.median(total)).put("doneOfOffered", done);
                StringBuilder perPart = new StringBuilder();
                for (String part : parts) {
                    double median = Stats.median(these.stream().map(w -> w.coreMsPerMessage(part)).toList());
                    k.put(part + " coreMsPerMessage", median)
                            .put(part + " cores", Stats.median(these.stream().map(w -> w.cores(part)).toList()));
                    perPart.append(String.format(Locale.ROOT, " %.3f |", median));
                }
                double cores = Stats.median(these.stream()
                        .map(w -> parts.stream().mapToDouble(w::cores).sum()).toList());
                k.put("cores", cores);
                System.out.printf(Locale.ROOT, "| %,d msg/s | %s | %.0f%% | %.3f (runs %s) |%s %.2f |%n", rate, kind,
                        done * 100, Stats.median(total), runsOf(total), perPart, cores);
                for (Window w : these) {
                    ObjectNode sample = samples.addObject().put("kind", w.kind()).put("offered", w.offered())
                            .put("done", w.done()).put("seconds", w.seconds());
                    if (!Double.isNaN(w.groupSize())) {
                        sample.put("messagesPerGroup", w.groupSize());
                    }
                    w.cpuSeconds().forEach((part, cpu) -> sample.put(part + " cpuSeconds", cpu));
                }
            }
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
