package im.parley.bench;

import com.fasterxml.jackson.databind.JsonNode;
import im.parley.eventing.EventJson;
import im.parley.eventing.message.ConversationIds;
import im.parley.tuning.Simulation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A chat day against a running stack, over real sockets, to record a trace from: users in befriended pairs and one
 * group whose members joined by invitation. Each second, at the day's rate for that second (a daily curve squeezed
 * into the run), a user types and then sends to their pair, one message in ten to the group. Every device reads what
 * reaches it ({@code receipt.read}). Every {@code reconnectSeconds}, a tenth of the devices drop and come back, each
 * catching up from its cursors, as phones do coming out of a tunnel.
 */
public final class ChatTraffic implements AutoCloseable {

    /**
     * @param baseRate messages per second at the start and the end of the day
     * @param peakRate messages per second at its middle
     */
    public record Plan(int pairs, int groupSize, int seconds, double baseRate, double peakRate, int reconnectSeconds) {
    }

    /** What the day did. */
    public record Summary(long sent, long received, long reads, long reconnects, long errors) {
    }

    private final BenchSockets sockets;
    private final String prefix;
    private final Plan plan;
    private final List<Device> devices = new ArrayList<>();
    private final String groupId;
    private final SplittableRandom random = new SplittableRandom(42);
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong received = new AtomicLong();
    private final AtomicLong reads = new AtomicLong();
    private final AtomicLong reconnects = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private final AtomicLong requests = new AtomicLong();
    private CountDownLatch settled;

    /** One user's one device, with the last seq it holds per conversation. */
    private final class Device {
        final String user;
        final Map<String, Long> cursors = new ConcurrentHashMap<>();
        volatile BenchSockets.Conn conn;

        Device(String user) {
            this.user = user;
        }

        CompletableFuture<Device> connect() {
            return sockets.open(user, "d", this::onFrame).thenApply(c -> {
                conn = c;
                return this;
            });
        }

        void send(String type, String data) {
            BenchSockets.Conn c = conn;
            if (c != null) {
                c.send("{\"v\":1,\"t\":\"" + type + "\",\"d\":" + data + "}");
            }
        }

        void onFrame(String text) {
            JsonNode frame;
            try {
                frame = EventJson.MAPPER.readTree(text);
            } catch (Exception e) {
                errors.incrementAndGet();
                return;
            }
            JsonNode d = frame.path("d");
            switch (frame.path("t").asText()) {
                case "msg" -> {
                    String conversation = d.path("conversationId").asText();
                    long seq = d.path("serverSeq").asLong();
                    cursors.merge(conversation, seq, Math::max);
                    if (!d.path("sender").asText().equals(user)) {
                        received.incrementAndGet();
                        reads.incrementAndGet();
                        send("receipt.read", "{\"conversationId\":\"" + conversation + "\",\"seq\":" + seq + "}");
                    }
                }
                case "friend" -> {
                    if (d.path("change").asText().equals("requested") && !d.path("actor").asText().equals(user)) {
                        send("friend.accept", "{\"userId\":\"" + d.path("userId").asText() + "\"}");
                    } else if (d.path("change").asText().equals("accepted") && !d.path("actor").asText().equals(user)) {
                        settled.countDown();
                    }
                }
                case "invitation" -> {
                    if (d.path("change").asText().equals("invited")) {
                        send("group.join", "{\"groupId\":\"" + d.path("groupId").asText() + "\"}");
                    }
                }
                case "group" -> {
                    if (d.path("change").asText().equals("joined") && d.path("actor").asText().equals(user)) {
                        settled.countDown();
                    }
                }
                case "error" -> {
                    errors.incrementAndGet();
                    System.err.println("error frame: " + text);
                }
                default -> { }
            }
        }
    }

    private ChatTraffic(BenchSockets sockets, String prefix, Plan plan) {
        this.sockets = sockets;
        this.prefix = prefix;
        this.plan = plan;
        this.groupId = prefix + "day";
    }

    /** Connects every device, makes each pair friends and the group's members join it. */
    public static ChatTraffic open(String host, int port, String secret, String prefix, Plan plan) throws Exception {
        if (plan.groupSize() > 2 * plan.pairs()) {
            throw new IllegalArgumentException("a group of " + plan.groupSize() + " needs that many users; there are "
                    + 2 * plan.pairs());
        }
        ChatTraffic traffic = new ChatTraffic(new BenchSockets(host, port, secret, 2), prefix, plan);
        try {
            traffic.setUp();
        } catch (Exception e) {
            traffic.close();
            throw e;
        }
        return traffic;
    }

    private void setUp() throws Exception {
        List<CompletableFuture<Device>> opening = new ArrayList<>();
        for (int i = 0; i < plan.pairs(); i++) {
            devices.add(new Device(prefix + "a" + i));
            devices.add(new Device(prefix + "b" + i));
        }
        devices.forEach(d -> opening.add(d.connect()));
        for (CompletableFuture<Device> f : opening) {
            f.get(60, TimeUnit.SECONDS);
        }
        // Friends first: each b accepts its a. Then the group, whose owner invites the rest, who join.
        settled = new CountDownLatch(plan.pairs());
        for (int i = 0; i < plan.pairs(); i++) {
            devices.get(2 * i).send("friend.request", "{\"userId\":\"" + devices.get(2 * i + 1).user + "\"}");
        }
        await("friendships");
        if (plan.groupSize() > 1) {
            settled = new CountDownLatch(plan.groupSize() - 2);
            StringBuilder members = new StringBuilder();
            for (int i = 1; i < plan.groupSize(); i++) {
                members.append(i > 1 ? "," : "").append('"').append(devices.get(i).user).append('"');
            }
            // The owner's pair (device 1) is a friend and is added; the others are invited and join.
            devices.get(0).send("group.create", "{\"groupId\":\"" + groupId + "\",\"name\":\"day\",\"members\":[" + members + "]}");
            await("group joins");
        }
    }

    private void await(String what) throws InterruptedException {
        if (!settled.await(120, TimeUnit.SECONDS)) {
            throw new IllegalStateException(settled.getCount() + " " + what + " did not happen within 120 s");
        }
    }

    /** The day, in real time: one second per step. */
    public Summary run() throws Exception {
        long start = System.nanoTime();
        for (int s = 0; s < plan.seconds(); s++) {
            double phase = 2 * Math.PI * s / plan.seconds();
            double rate = plan.baseRate() + (plan.peakRate() - plan.baseRate()) * (1 - Math.cos(phase)) / 2;
            if (plan.reconnectSeconds() > 0 && s > 0 && s % plan.reconnectSeconds() == 0) {
                reconnect();
            }
            int count = Simulation.poisson(random, rate);
            for (int i = 0; i < count; i++) {
                long due = start + s * 1_000_000_000L + (long) (1e9 * i / count);
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
                sendOne();
            }
            long next = start + (s + 1) * 1_000_000_000L - System.nanoTime();
            if (next > 0) {
                TimeUnit.NANOSECONDS.sleep(next);
            }
        }
        return new Summary(sent.get(), received.get(), reads.get(), reconnects.get(), errors.get());
    }

    private void sendOne() {
        int pair = random.nextInt(plan.pairs());
        boolean toGroup = plan.groupSize() > 1 && random.nextInt(10) == 0;
        int from = toGroup ? random.nextInt(plan.groupSize()) : 2 * pair + random.nextInt(2);
        Device sender = devices.get(from);
        String conversation = toGroup ? "g:" + groupId : ConversationIds.direct(devices.get(2 * pair).user, devices.get(2 * pair + 1).user);
        sender.send("typing", "{\"conversationId\":\"" + conversation + "\",\"state\":\"started\"}");
        sender.send("send", "{\"conversationId\":\"" + conversation + "\",\"clientMsgId\":\"" + prefix + sent.incrementAndGet()
                + "\",\"contentType\":\"text\",\"content\":\"hello\"}");
    }

    /** A tenth of the devices drop and come back, each catching up from its cursors. */
    private void reconnect() throws Exception {
        List<Device> dropped = new ArrayList<>();
        for (int i = 0; i < Math.max(1, devices.size() / 10); i++) {
            dropped.add(devices.get(random.nextInt(devices.size())));
        }
        for (Device d : dropped) {
            BenchSockets.Conn c = d.conn;
            d.conn = null;
            if (c != null) {
                c.close();
            }
        }
        for (Device d : dropped) {
            if (d.conn == null) {
                d.connect().get(30, TimeUnit.SECONDS);
                d.send("sync", "{\"requestId\":\"" + prefix + "c" + requests.incrementAndGet()
                        + "\",\"kind\":\"catch-up\",\"cursors\":" + EventJson.MAPPER.writeValueAsString(d.cursors) + "}");
                reconnects.incrementAndGet();
            }
        }
    }

    @Override
    public void close() {
        devices.forEach(d -> {
            if (d.conn != null) {
                d.conn.close();
            }
        });
        sockets.close();
    }
}
