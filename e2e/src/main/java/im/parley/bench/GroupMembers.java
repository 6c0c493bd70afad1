package im.parley.bench;

import com.fasterxml.jackson.databind.JsonNode;
import im.parley.eventing.EventJson;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A process holding group members' sockets for the fan-out benchmark. For each message (by clientMsgId) it
 * prints, once all of its sockets have it: {@code all <clientMsgId> <nanoTime of the last arrival>}. nanoTime is
 * CLOCK_MONOTONIC on Linux, the same clock in every process on the host.
 * Usage: GroupMembers host port secret userPrefix from toExclusive
 */
public final class GroupMembers {

    record Progress(AtomicInteger count, AtomicLong last) {
    }

    public static void main(String[] args) throws Exception {
        String host = args[0];
        int port = Integer.parseInt(args[1]);
        String secret = args[2];
        String prefix = args[3];
        int from = Integer.parseInt(args[4]);
        int to = Integer.parseInt(args[5]);
        int members = to - from;
        ConcurrentHashMap<String, Progress> progress = new ConcurrentHashMap<>();
        try (BenchSockets sockets = new BenchSockets(host, port, secret, 2)) {
            List<CompletableFuture<BenchSockets.Conn>> opened = new ArrayList<>();
            for (int i = from; i < to; i++) {
                opened.add(sockets.open(prefix + i, "d", text -> {
                    long now = System.nanoTime();
                    if (!text.contains("\"t\":\"msg\"")) {
                        return;
                    }
                    String id = clientMsgId(text);
                    Progress p = progress.computeIfAbsent(id, k -> new Progress(new AtomicInteger(), new AtomicLong()));
                    p.last().accumulateAndGet(now, Math::max);
                    if (p.count().incrementAndGet() == members) {
                        System.out.println("all " + id + " " + p.last().get());
                    }
                }));
                if (opened.size() % 200 == 0) {
                    CompletableFuture.allOf(opened.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
                }
            }
            CompletableFuture.allOf(opened.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
            System.out.println("ready " + members);
            Thread.sleep(Long.MAX_VALUE);
        }
    }

    static String clientMsgId(String frame) {
        try {
            JsonNode node = EventJson.MAPPER.readTree(frame);
            return node.path("d").path("clientMsgId").asText();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private GroupMembers() {
    }
}
