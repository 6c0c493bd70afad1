package im.parley.tuning;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import im.parley.bench.LineChart;
import im.parley.eventing.runtime.scaling.HpaBehavior;
import im.parley.eventing.runtime.trigger.EventingManifests;
import im.parley.eventing.runtime.trigger.ScalingPolicy;
import im.parley.eventing.runtime.trigger.TriggerDefinition;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code ./parley tune TRACE}: each Trigger of the trace replayed against its current settings (from the overlay's
 * Triggers) and against every candidate, with the cheapest that meets the wait objective recommended. Writes
 * {@code tuning.json} and, per Trigger, its lag and replicas over time under both settings and the trade-off curve.
 */
public final class TuneCommand {

    /** Also printed by ./parley itself, before anything is built. */
    static final String USAGE = Usage.of("tuning/tune-usage.txt");

    private TuneCommand() {
    }

    public static void main(String[] args) throws Exception {
        try {
            run(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
        }
    }

    static void run(String[] args) throws Exception {
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h")) {
            System.out.println(USAGE);
            return;
        }
        Options o = Options.parse(args, Set.of("slo-ms", "cold-start-ms", "ordered-tick-ms", "in-flight", "manifests", "out",
                "seed"), USAGE);
        if (o.positional().size() != 1) {
            throw new IllegalArgumentException("one trace file, please\n" + USAGE);
        }
        Trace trace = Trace.read(Path.of(o.positional().get(0)));
        double slo = o.number("slo-ms", 50);
        Duration coldStart = Duration.ofMillis((long) o.number("cold-start-ms", 1500));
        Duration tick = Duration.ofMillis((long) o.number("ordered-tick-ms", 200));
        int inFlight = (int) o.number("in-flight", 64);
        long seed = (long) o.number("seed", 1);
        Map<String, TriggerDefinition> current = new LinkedHashMap<>();
        EventingManifests.load(Path.of(o.get("manifests", "manifests/overlays/production"))).triggers()
                .forEach(t -> current.put(t.name(), t));
        Path out = Path.of(o.get("out", "target/tuning"));
        Files.createDirectories(out);

        ArrayNode report = Trace.JSON.createArrayNode();
        for (Trace.TriggerTrace t : trace.triggers()) {
            ScalingPolicy policy = current.containsKey(t.name()) ? current.get(t.name()).scaling()
                    : new ScalingPolicy(true, ScalingPolicy.DEFAULT_MIN_SCALE, ScalingPolicy.DEFAULT_MAX_SCALE,
                    ScalingPolicy.DEFAULT_POLLING_INTERVAL, ScalingPolicy.DEFAULT_COOLDOWN_PERIOD,
                    ScalingPolicy.DEFAULT_LAG_THRESHOLD, ScalingPolicy.ACTIVATION_LAG_THRESHOLD);
            Candidate now = new Candidate(policy, HpaBehavior.kubernetesDefaults(), coldStart, tick, inFlight);
            Tuner.Tuning tuning = Tuner.tune(t, trace.stepSeconds(), now, slo, seed);
            report.add(json(tuning));
            plot(out, tuning);
            System.out.printf(Locale.ROOT, "%s (%s, %d partitions, %.0f s)%n  now:         %s: p99 wait %.0f ms, %.0f replica-s%n"
                            + "  recommended: %s: p99 wait %.0f ms, %.0f replica-s%s%n", t.name(), t.ordered() ? "ordered" : "unordered",
                    t.partitions(), t.seconds(trace.stepSeconds()), now.describe(), tuning.current().result().p99WaitMs(),
                    tuning.current().result().replicaSeconds(), tuning.recommended().candidate().describe(),
                    tuning.recommended().result().p99WaitMs(), tuning.recommended().result().replicaSeconds(),
                    tuning.meets() ? "" : " (nothing tried meets p99 <= " + slo + " ms: the lowest wait instead)");
        }
        Trace.JSON.writeValue(out.resolve("tuning.json").toFile(), report);
        System.out.println("wrote " + out.resolve("tuning.json") + " and the plots beside it");
    }

    static ObjectNode json(Tuner.Tuning tuning) {
        ObjectNode n = Trace.JSON.createObjectNode();
        n.put("trigger", tuning.trigger());
        n.put("sloP99WaitMs", tuning.sloP99Ms());
        n.put("meets", tuning.meets());
        n.set("current", trial(tuning.current()));
        n.set("recommended", trial(tuning.recommended()));
        ArrayNode front = n.putArray("front");
        tuning.front().forEach(t -> front.add(trial(t)));
        ArrayNode all = n.putArray("trials");
        tuning.trials().forEach(t -> all.add(trial(t)));
        return n;
    }

    static ObjectNode trial(Tuner.Trial t) {
        ObjectNode n = Trace.JSON.createObjectNode();
        ScalingPolicy p = t.candidate().policy();
        n.put("lagThreshold", p.lagThreshold());
        n.put("activationLagThreshold", p.activationLagThreshold());
        n.put("pollingIntervalSeconds", p.pollingInterval().toSeconds());
        n.put("cooldownPeriodSeconds", p.cooldownPeriod().toSeconds());
        n.put("minScale", p.minScale());
        n.put("maxScale", p.maxScale());
        n.put("p50WaitMs", round(t.result().p50WaitMs()));
        n.put("p99WaitMs", round(t.result().p99WaitMs()));
        n.put("maxWaitMs", round(t.result().maxWaitMs()));
        n.put("replicaSeconds", round(t.result().replicaSeconds()));
        n.put("events", t.result().events());
        return n;
    }

    static double round(double v) {
        return Math.round(v * 10) / 10.0;
    }

    static void plot(Path out, Tuner.Tuning tuning) throws Exception {
        Map<String, List<double[]>> lag = new LinkedHashMap<>();
        Map<String, List<double[]>> replicas = new LinkedHashMap<>();
        for (var named : List.of(Map.entry("now", tuning.current()), Map.entry("recommended", tuning.recommended()))) {
            List<double[]> l = new ArrayList<>();
            List<double[]> r = new ArrayList<>();
            for (Simulation.Second s : named.getValue().result().seconds()) {
                l.add(new double[] {s.second(), s.lag()});
                r.add(new double[] {s.second(), s.replicas()});
            }
            lag.put("lag, " + named.getKey(), l);
            replicas.put("replicas, " + named.getKey(), r);
        }
        LineChart.write(out.resolve(tuning.trigger() + "-lag.png"), tuning.trigger() + ": lag over time", "second", "events",
                lag);
        LineChart.write(out.resolve(tuning.trigger() + "-replicas.png"), tuning.trigger() + ": replicas over time", "second",
                "replicas", replicas);
        List<double[]> front = tuning.front().stream()
                .map(t -> new double[] {t.result().replicaSeconds(), t.result().p99WaitMs()}).toList();
        LineChart.write(out.resolve(tuning.trigger() + "-front.png"), tuning.trigger() + ": cheapest settings per p99 wait",
                "replica-seconds", "p99 wait (ms)", Map.of("trade-off", front));
    }
}
