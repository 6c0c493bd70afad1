package im.parley.soak;

import com.fasterxml.jackson.databind.JsonNode;
import im.parley.eventing.EventJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Reads a soak's history and reports what broke the promise: once acked, a message reaches every member's devices
 * exactly once and in order. Violations: an acked message a member device never got (live or through sync), a
 * message shown under two seqs, a message shown twice or after a later one (what the client showed, {@code shown}),
 * live frames out of order on one connection ({@code msg}, from histories of raw sockets), a seq with two
 * clientMsgIds or two contents, a clientMsgId with two seqs, a gap in what is stored. Live misses (a message that reached a device
 * only through sync) are counted and allowed. Out of scope, and said so: push (at most once by design) and
 * presence.
 *
 * <p>Run alone: {@code ./parley soak check target/soak/<run>/history.jsonl}.
 */
public final class Checker {

    record Message(String clientMsgId, String content) {
    }

    record Report(long sent, long acked, long faults, List<String> violations, long liveMisses, long duplicatesDropped) {
        boolean passed() {
            return violations.isEmpty();
        }
    }

    public static void main(String[] args) throws IOException {
        Report report = check(Path.of(args[0]));
        print(report);
        System.exit(report.passed() ? 0 : 1);
    }

    static void print(Report report) {
        System.out.printf("soak: %d sent, %d acked, %d faults; %d live misses (reached through sync: allowed), "
                        + "%d redeliveries dropped by seq; %d violations%n", report.sent(), report.acked(), report.faults(),
                report.liveMisses(), report.duplicatesDropped(), report.violations().size());
        report.violations().stream().limit(50).forEach(v -> System.out.println("  VIOLATION " + v));
        System.out.println("  (out of scope: push notifications, at most once by design; presence)");
    }

    static Report check(Path file) throws IOException {
        List<String> violations = new ArrayList<>();
        Map<String, Long> ackedSeq = new HashMap<>();              // conv/cmid -> seq
        Map<String, String> ackedBy = new HashMap<>();             // conv/cmid -> sending device
        Map<String, Map<Long, Message>> bySeq = new HashMap<>();   // conv -> seq -> message
        Map<String, Set<Long>> stored = new HashMap<>();           // conv -> seqs in the final history read
        Map<String, Set<String>> members = new HashMap<>();        // conv -> devices of its members
        Map<String, Set<String>> live = new HashMap<>();           // device -> conv/seq seen live
        Map<String, Set<String>> synced = new HashMap<>();         // device -> conv/seq seen through sync
        Map<String, Map<String, Long>> shownSeq = new HashMap<>(); // device -> conv/cmid -> seq shown
        Map<String, Long> lastLive = new HashMap<>();              // device#conn#conv -> last live seq
        long sent = 0;
        long faults = 0;
        long dropped = 0;
        try (Stream<String> lines = Files.lines(file)) {
            for (String line : (Iterable<String>) lines::iterator) {
                JsonNode r = EventJson.MAPPER.readTree(line);
                String kind = r.path("k").asText();
                String conv = r.path("conv").asText();
                String dev = r.path("dev").asText();
                switch (kind) {
                    case "member" -> members.computeIfAbsent(conv, c -> new TreeSet<>()).add(dev);
                    case "send" -> sent++;
                    case "fault" -> faults += r.path("phase").asText().equals("start") ? 1 : 0;
                    case "ack" -> {
                        String key = conv + "/" + r.path("cmid").asText();
                        long seq = r.path("seq").asLong();
                        Long before = ackedSeq.putIfAbsent(key, seq);
                        ackedBy.putIfAbsent(key, dev);
                        if (before != null && before != seq) {
                            violations.add("clientMsgId " + key + " acked with two seqs: " + before + " and " + seq);
                        }
                    }
                    case "msg", "shown", "sync" -> {
                        long seq = r.path("seq").asLong();
                        Message m = new Message(r.path("cmid").asText(), r.path("content").asText());
                        Message before = bySeq.computeIfAbsent(conv, c -> new HashMap<>()).putIfAbsent(seq, m);
                        if (before != null && !before.equals(m)) {
                            violations.add("seq " + conv + "#" + seq + " holds two messages: " + before + " and " + m);
                        }
                        Long shown = shownSeq.computeIfAbsent(dev, d -> new HashMap<>()).putIfAbsent(conv + "/" + m.clientMsgId(), seq);
                        if (shown != null && shown != seq) {
                            violations.add(dev + " shown " + conv + "/" + m.clientMsgId() + " twice, as seqs " + shown + " and " + seq);
                        }
                        String at = conv + "#" + seq;
                        if (kind.equals("shown")) {
                            // What the app was shown, by a client that drops redeliveries and orders: every repeat
                            // and every step back is the client's fault or the server's.
                            if (!live.computeIfAbsent(dev, d -> new HashSet<>()).add(at)) {
                                violations.add(dev + " was shown " + at + " twice");
                            } else {
                                Long last = lastLive.merge(dev + "#" + conv, seq, Math::max);
                                if (last != seq) {
                                    violations.add(dev + " was shown " + conv + " seq " + seq + " after seq " + last);
                                }
                            }
                        } else if (kind.equals("msg")) {
                            boolean held = !live.computeIfAbsent(dev, d -> new HashSet<>()).add(at)
                                    || synced.getOrDefault(dev, Set.of()).contains(at);
                            if (held) {
                                dropped++; // a redelivery the device drops by seq, as the protocol asks: not shown
                            } else {
                                String stream = dev + "#" + r.path("conn").asLong() + "#" + conv;
                                Long last = lastLive.merge(stream, seq, Math::max);
                                if (last != seq) {
                                    violations.add(dev + " connection " + r.path("conn").asLong() + " got " + conv + " seq "
                                            + seq + " live after seq " + last);
                                }
                            }
                        } else {
                            synced.computeIfAbsent(dev, d -> new HashSet<>()).add(at);
                        }
                        if (r.path("final").asBoolean()) {
                            stored.computeIfAbsent(conv, c -> new TreeSet<>()).add(seq);
                        }
                    }
                    default -> {
                        // connect, disconnect, error, gap: context for a reader of the file
                    }
                }
            }
        }
        long liveMisses = 0;
        for (Map.Entry<String, Long> acked : ackedSeq.entrySet()) {
            String conv = acked.getKey().substring(0, acked.getKey().indexOf('/'));
            String at = conv + "#" + acked.getValue();
            Message m = bySeq.getOrDefault(conv, Map.of()).get(acked.getValue());
            String cmid = acked.getKey().substring(conv.length() + 1);
            if (m == null || !m.clientMsgId().equals(cmid)) {
                violations.add("acked " + acked.getKey() + " as seq " + acked.getValue() + ", but that seq holds " + m);
                continue;
            }
            for (String dev : members.getOrDefault(conv, Set.of())) {
                if (dev.equals(ackedBy.get(acked.getKey()))) {
                    continue; // the sending device has its ack
                }
                boolean gotLive = live.getOrDefault(dev, Set.of()).contains(at);
                boolean gotSync = synced.getOrDefault(dev, Set.of()).contains(at);
                if (!gotLive && !gotSync) {
                    violations.add("acked " + acked.getKey() + " (seq " + acked.getValue() + ") never reached " + dev);
                } else if (!gotLive) {
                    liveMisses++;
                }
            }
        }
        for (Map.Entry<String, Set<Long>> conv : new TreeMap<>(stored).entrySet()) {
            long expected = 1;
            for (long seq : conv.getValue()) {
                while (expected < seq) {
                    violations.add("gap: " + conv.getKey() + " has no message at seq " + expected + " (cause: "
                            + gapCause(conv.getKey(), expected, ackedSeq) + ")");
                    expected++;
                }
                expected = seq + 1;
            }
        }
        return new Report(sent, ackedSeq.size(), faults, violations, liveMisses, dropped);
    }

    private static String gapCause(String conv, long seq, Map<String, Long> ackedSeq) {
        boolean acked = ackedSeq.entrySet().stream().anyMatch(e -> e.getKey().startsWith(conv + "/") && e.getValue() == seq);
        return acked ? "acked, then lost from storage" : "a seq handed out, never stored (its message was never acked)";
    }
}
