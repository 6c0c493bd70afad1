package im.parley.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import im.parley.eventing.EventJson;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A client process for the messaging benchmark: pairs of users, each pair friends with one 1:1 chat, sending and
 * receiving over real WebSockets. Sender and receiver of a pair share this process, so a message's latency is
 * measured on one clock, from the send to the {@code msg} frame on the receiver's socket. Driven over stdin:
 * <ul>
 *   <li>{@code run ID RATE COUNT}: COUNT messages at RATE per second, open loop, round robin over the pairs; then
 *       waits for every one to be received and acked and prints {@code done ID} and a JSON summary; the latencies
 *       go to {@code <dir>/ID.latencies} (ns, one per line, send order; -1 for lost).</li>
 *   <li>{@code quit}.</li>
 * </ul>
 * Usage: ChatClients host port secret prefix pairs dir
 */
public final class ChatClients {

    private final List<BenchSockets.Conn> senders = new ArrayList<>();
    private final List<String> conversations = new ArrayList<>();
    private volatile Run current;

    /** One measured run: send times and arrival times by message number. */
    private static final class Run {
        final String id;
        final long[] sentAt;
        final long[] receivedAt;
        final long[] ackedAt;
        final AtomicInteger received = new AtomicInteger();
        final AtomicInteger acked = new AtomicInteger();
        final AtomicInteger duplicates = new AtomicInteger();
        final AtomicInteger errors = new AtomicInteger();

        Run(String id, int count) {
            this.id = id;
            sentAt = new long[count];
            receivedAt = new long[count];
            ackedAt = new long[count];
        }
    }

    public static void main(String[] args) throws Exception {
        String host = args[0];
        int port = Integer.parseInt(args[1]);
        String secret = args[2];
        String prefix = args[3];
        int pairs = Integer.parseInt(args[4]);
        Path dir = Path.of(args[5]);
        Files.createDirectories(dir);
        ChatClients clients = new ChatClients();
        try (BenchSockets sockets = new BenchSockets(host, port, secret, 2)) {
            clients.open(sockets, prefix, pairs);
            System.out.println("ready " + pairs);
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            for (String line; (line = in.readLine()) != null; ) {
                String[] command = line.trim().split(" ");
                if (command[0].equals("run")) {
                    ObjectNode summary = clients.run(command[1], Integer.parseInt(command[2]), Integer.parseInt(command[3]), dir);
                    System.out.println("done " + command[1] + " " + EventJson.MAPPER.writeValueAsString(summary));
                } else if (command[0].equals("quit")) {
                    break;
                }
            }
        }
        System.exit(0);
    }

    /** Opens the pairs' sockets and makes each pair friends through the friend-request function, as users do. */
    private void open(BenchSockets sockets, String prefix, int pairs) throws Exception {
        CountDownLatch friends = new CountDownLatch(pairs);
        List<CompletableFuture<BenchSockets.Conn>> opening = new ArrayList<>();
        List<BenchSockets.Conn> receivers = new ArrayList<>();
        for (int i = 0; i < pairs; i++) {
            String sender = prefix + "s" + i;
            String receiver = prefix + "r" + i;
            conversations.add("d:" + (sender.compareTo(receiver) < 0 ? sender + ":" + receiver : receiver + ":" + sender));
            int pair = i;
            opening.add(sockets.open(sender, "d", text -> onSender(text, friends, pair)));
            opening.add(sockets.open(receiver, "d", text -> onReceiver(text, pair, sender)));
        }
        for (int i = 0; i < pairs; i++) {
            senders.add(opening.get(2 * i).get(60, TimeUnit.SECONDS));
            receivers.add(opening.get(2 * i + 1).get(60, TimeUnit.SECONDS));
        }
        this.receivers = receivers;
        this.prefix = prefix;
        for (int i = 0; i < pairs; i++) {
            requestFriendship(i);
        }
        if (!friends.await(120, TimeUnit.SECONDS)) {
            throw new IllegalStateException(friends.getCount() + " of " + pairs + " pairs did not become friends");
        }
    }

    private List<BenchSockets.Conn> receivers = List.of();
    private String prefix;
    private final Set<Integer> befriended = ConcurrentHashMap.newKeySet();

    private void requestFriendship(int pair) {
        senders.get(pair).send("{\"v\":1,\"t\":\"friend.request\",\"d\":{\"userId\":\"" + prefix + "r" + pair + "\"}}");
    }

    private void accept(int pair, String sender) {
        receivers.get(pair).send("{\"v\":1,\"t\":\"friend.accept\",\"d\":{\"userId\":\"" + sender + "\"}}");
    }

    /** A frame the tier could not store is sent again, as the error asks: a cold stack's first seconds refuse some. */
    private static boolean unavailable(String text) {
        return text.contains("\"t\":\"error\"") && text.contains("\"code\":\"unavailable\"");
    }

    private void onSender(String text, CountDownLatch friends, int pair) {
        if (text.contains("\"t\":\"ack\"")) {
            Run run = current;
            int n = number(text, run);
            if (n >= 0 && run.ackedAt[n] == 0) {
                run.ackedAt[n] = System.nanoTime();
                run.acked.incrementAndGet();
            }
        } else if (text.contains("\"t\":\"friend\"") && text.contains("\"change\":\"accepted\"")) {
            if (befriended.add(pair)) { // a request sent again may be accepted twice
                friends.countDown();
            }
        } else if (current == null && unavailable(text)) {
            requestFriendship(pair);
        } else if (text.contains("\"t\":\"error\"")) {
            Run run = current;
            if (run != null) {
                run.errors.incrementAndGet();
            }
            System.err.println("error frame: " + text);
        }
    }

    private void onReceiver(String text, int pair, String sender) {
        if (text.contains("\"t\":\"msg\"")) {
            long now = System.nanoTime();
            Run run = current;
            int n = number(text, run);
            if (n < 0) {
                return;
            }
            if (run.receivedAt[n] == 0) {
                run.receivedAt[n] = now;
                run.received.incrementAndGet();
            } else {
                run.duplicates.incrementAndGet();
            }
        } else if (text.contains("\"t\":\"friend\"") && text.contains("\"change\":\"requested\"")) {
            accept(pair, sender);
        } else if (current == null && unavailable(text)) {
            accept(pair, sender);
        }
    }

    /** The message number from a clientMsgId of the form {@code <run>-<n>}, or -1 for another run's. */
    private static int number(String frame, Run run) {
        if (run == null) {
            return -1;
        }
        int at = frame.indexOf("\"clientMsgId\":\"");
        if (at < 0) {
            return -1;
        }
        int from = at + 15;
        int end = frame.indexOf('"', from);
        String id = frame.substring(from, end);
        int dash = id.lastIndexOf('-');
        if (dash < 0 || !id.regionMatches(0, run.id, 0, dash) || dash != run.id.length()) {
            return -1;
        }
        return Integer.parseInt(id, dash + 1, id.length(), 10);
    }

    private ObjectNode run(String id, int rate, int count, Path dir) throws Exception {
        Run run = new Run(id, count);
        current = run;
        long start = System.nanoTime();
        OpenLoop.run(rate, count, i -> {
            int pair = i % senders.size();
            run.sentAt[i] = System.nanoTime();
            senders.get(pair).send("{\"v\":1,\"t\":\"send\",\"d\":{\"conversationId\":\"" + conversations.get(pair)
                    + "\",\"clientMsgId\":\"" + id + "-" + i + "\",\"contentType\":\"text\",\"content\":\"benchmark message "
                    + i + "\"}}");
        });
        long sent = System.nanoTime();
        long deadline = sent + TimeUnit.SECONDS.toNanos(60);
        while ((run.received.get() < count || run.acked.get() < count) && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        long drained = Math.max(max(run.receivedAt), max(run.ackedAt));
        long[] latencies = new long[count];
        long[] ackLatencies = new long[count];
        StringBuilder raw = new StringBuilder(count * 9);
        for (int i = 0; i < count; i++) {
            latencies[i] = run.receivedAt[i] == 0 ? -1 : run.receivedAt[i] - run.sentAt[i];
            ackLatencies[i] = run.ackedAt[i] == 0 ? -1 : run.ackedAt[i] - run.sentAt[i];
            raw.append(latencies[i]).append('\n');
        }
        Files.writeString(dir.resolve(id + ".latencies"), raw);
        ObjectNode summary = EventJson.MAPPER.createObjectNode().put("rate", rate).put("messages", count)
                .put("received", run.received.get()).put("acked", run.acked.get())
                .put("duplicates", run.duplicates.get()).put("errors", run.errors.get())
                .put("sendSeconds", (sent - start) / 1e9).put("drainedSeconds", (drained - start) / 1e9);
        percentiles(summary.putObject("latencyMs"), latencies);
        percentiles(summary.putObject("ackLatencyMs"), ackLatencies);
        current = null;
        return summary;
    }

    private static long max(long[] values) {
        long max = 0;
        for (long v : values) {
            max = Math.max(max, v);
        }
        return max;
    }

    static void percentiles(ObjectNode into, long[] nanos) {
        long[] sorted = Arrays.stream(nanos).filter(v -> v >= 0).sorted().toArray();
        for (double p : new double[] {50, 90, 99, 99.9, 100}) {
            into.put(p == 100 ? "max" : "p" + (p == 99.9 ? "999" : String.valueOf((int) p)),
                    sorted.length == 0 ? -1 : sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100 * sorted.length) - 1)] / 1e6);
        }
    }

    private ChatClients() {
    }
}
