package im.parley.tuning;

import im.parley.bench.ChatTraffic;
import im.parley.eventing.runtime.trigger.EventingManifests;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/** {@code ./parley trace record|synth}: a trace to tune against. */
public final class TraceCommand {

    /** Also printed by ./parley itself, before anything is built. */
    static final String USAGE = Usage.of("tuning/trace-usage.txt");

    private TraceCommand() {
    }

    public static void main(String[] args) throws Exception {
        Options.main(args, USAGE, TraceCommand::run);
    }

    static void run(String[] args) throws Exception {
        String kind = args[0];
        String[] rest = java.util.Arrays.copyOfRange(args, 1, args.length);
        switch (kind) {
            case "record" -> {
                Options o = Options.parse(rest, Set.of("out", "seconds", "step", "metrics", "manifests", "drive", "pairs",
                        "group", "ws", "data-dir"), USAGE);
                Path out = Path.of(required(o, "out"));
                double step = o.number("step", 1);
                int seconds = (int) o.number("seconds", 300);
                ChatTraffic traffic = o.values().containsKey("drive") ? drive(o, seconds) : null;
                CompletableFuture<ChatTraffic.Summary> day = new CompletableFuture<>();
                if (traffic != null) {
                    new Thread(() -> {
                        try {
                            day.complete(traffic.run());
                        } catch (Throwable e) {
                            day.completeExceptionally(e);
                        }
                    }, "chat-day").start();
                }
                List<TraceRecorder.Scrape> scrapes;
                try {
                    scrapes = TraceRecorder.record(URI.create(o.get("metrics", "http://127.0.0.1:18082/metrics")),
                            Duration.ofMillis((long) (step * 1000)), Duration.ofSeconds(seconds));
                    if (traffic != null) {
                        ChatTraffic.Summary s = day.get();
                        System.out.printf("drove %d messages (%d received, %d read receipts), %d reconnects, %d error frames%n",
                                s.sent(), s.received(), s.reads(), s.reconnects(), s.errors());
                    }
                } finally {
                    if (traffic != null) {
                        traffic.close();
                    }
                }
                Trace trace = TraceRecorder.trace(scrapes, step,
                        EventingManifests.load(Path.of(o.get("manifests", "manifests/overlays/local"))));
                trace.write(out);
                System.out.println("recorded " + trace.triggers().size() + " Trigger(s) with traffic to " + out);
            }
            case "synth" -> {
                Options o = Options.parse(rest, Set.of("out", "trigger", "ordered", "partitions", "seconds", "base-rate",
                        "peak-rate", "service-ms", "sigma", "burst", "seed"), USAGE);
                List<TraceSynthesis.Burst> bursts = new ArrayList<>();
                for (String b : o.get("burst", "").split(",")) {
                    if (b.isBlank()) {
                        continue;
                    }
                    String[] p = b.split(":");
                    if (p.length != 3) {
                        throw new IllegalArgumentException("--burst takes START:SECONDS:RATE, got " + b);
                    }
                    bursts.add(new TraceSynthesis.Burst(Integer.parseInt(p[0]), Integer.parseInt(p[1]), Double.parseDouble(p[2])));
                }
                TraceSynthesis.Shape shape = new TraceSynthesis.Shape(required(o, "trigger"),
                        Boolean.parseBoolean(o.get("ordered", "true")), (int) o.number("partitions", 24),
                        (int) o.number("seconds", 3600), o.number("base-rate", 5), o.number("peak-rate", 50), bursts,
                        o.number("service-ms", 5), o.number("sigma", 0.5));
                Path out = Path.of(required(o, "out"));
                new Trace(1, List.of(TraceSynthesis.of(shape, (long) o.number("seed", 1)))).write(out);
                System.out.println("wrote " + out);
            }
            default -> throw new IllegalArgumentException("unknown kind " + kind + "\n" + USAGE);
        }
    }

    /** Users of the running stack, befriended and grouped, ready to chat through the recording. */
    private static ChatTraffic drive(Options o, int seconds) throws Exception {
        String[] ws = o.get("ws", "127.0.0.1:18080").split(":");
        if (ws.length != 2) {
            throw new IllegalArgumentException("--ws takes HOST:PORT, got " + o.get("ws", ""));
        }
        Path secretFile = Path.of(o.get("data-dir", ".local")).resolve("dev-jwt-secret");
        if (!Files.exists(secretFile)) {
            throw new IllegalArgumentException("no " + secretFile + ": is ./parley up running (--data-dir DIR if not .local)?");
        }
        String secret = Files.readString(secretFile).trim();
        double peak = o.number("drive", 20);
        ChatTraffic.Plan plan = new ChatTraffic.Plan((int) o.number("pairs", 50), (int) o.number("group", 20), seconds,
                Math.max(1, peak / 10), peak, 30);
        System.out.println("connecting " + 2 * plan.pairs() + " users, befriending pairs, forming a group of " + plan.groupSize());
        return ChatTraffic.open(ws[0], Integer.parseInt(ws[1]), secret, "day" + Long.toString(System.currentTimeMillis(), 36)
                + "-", plan);
    }

    static String required(Options o, String name) {
        String v = o.values().get(name);
        if (v == null) {
            throw new IllegalArgumentException("--" + name + " is required\n" + USAGE);
        }
        return v;
    }
}
