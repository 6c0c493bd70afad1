package im.parley.tuning;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import im.parley.bench.LineChart;
import im.parley.eventing.runtime.scaling.HpaBehavior;
import im.parley.eventing.runtime.manifest.Kustomization;
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
        Options.main(args, USAGE, TuneCommand::run);
    }

    static void run(String[] args) throws Exception {
        if (args[0].equals("validate")) {
            validate(Options.parse(java.util.Arrays.copyOfRange(args, 1, args.length), Set.of("out", "seconds"), USAGE));
            return;
        }
        Options o = Options.parse(args, Set.of("slo-ms", "cold-start-ms", "ordered-tick-ms", "in-flight", "commit-interval-ms",
                "rebalance-ms", "function-pods", "pod-cold-start-ms", "partitions", "max-scale", "scale-up-window-s",
                "scale-down-window-s", "manifests", "out", "seed"), USAGE);
        if (o.positional().size() != 1) {
            throw new IllegalArgumentException("one trace file, please\n" + USAGE);
        }
        Trace trace = Trace.read(Path.of(o.positional().get(0)));
        double slo = o.number("slo-ms", 50);
        Duration coldStart = Duration.ofMillis((long) o.number("cold-start-ms", 1500));
        Duration tick = Duration.ofMillis((long) o.number("ordered-tick-ms", 200));
        int inFlight = (int) o.number("in-flight", 50);
        Duration commit = Duration.ofMillis((long) o.number("commit-interval-ms", 5000));
        Duration rebalance = Duration.ofMillis((long) o.number("rebalance-ms", 300));
        long seed = (long) o.number("seed", 1);
        String functionPods = o.get("function-pods", "knative");
        if (!functionPods.equals("knative") && !functionPods.equals("in-process")) {
            throw new IllegalArgumentException("--function-pods is knative or in-process, got " + functionPods + "\n" + USAGE);
        }
        Duration podColdStart = Duration.ofMillis((long) o.number("pod-cold-start-ms", 3000));
        HpaBehavior k8s = HpaBehavior.kubernetesDefaults();
        HpaBehavior hpa = new HpaBehavior(k8s.syncPeriod(),
                Duration.ofSeconds((long) o.number("scale-up-window-s", k8s.upStabilization().toSeconds())),
                Duration.ofSeconds((long) o.number("scale-down-window-s", k8s.downStabilization().toSeconds())),
                k8s.upPercent(), k8s.upPods(), k8s.downPercent(), k8s.policyPeriod());
        List<ObjectNode> objects = Kustomization.build(Path.of(o.get("manifests", "manifests/overlays/production")));
        Map<String, TriggerDefinition> current = new LinkedHashMap<>();
        EventingManifests.from(objects).triggers().forEach(t -> current.put(t.name(), t));
        Map<String, PodScaling> services = new LinkedHashMap<>();
        for (ObjectNode object : objects) {
            if (object.path("kind").asText().equals("Service") && object.path("apiVersion").asText().startsWith("serving.knative.dev/")) {
                services.put(object.path("metadata").path("name").asText(), PodScaling.fromService(object, podColdStart));
            }
        }
        Path out = Path.of(o.get("out", "target/tuning"));
        Files.createDirectories(out);

        ArrayNode report = Trace.JSON.createArrayNode();
        for (Trace.TriggerTrace recorded : trace.triggers()) {
            Trace.TriggerTrace t = !o.values().containsKey("partitions") ? recorded : new Trace.TriggerTrace(recorded.name(),
                    recorded.ordered(), (int) o.number("partitions", 0), recorded.rates(), recorded.serviceMs());
            ScalingPolicy p = current.containsKey(t.name()) ? current.get(t.name()).scaling()
                    : new ScalingPolicy(true, ScalingPolicy.DEFAULT_MIN_SCALE, ScalingPolicy.DEFAULT_MAX_SCALE,
                    ScalingPolicy.DEFAULT_POLLING_INTERVAL, ScalingPolicy.DEFAULT_COOLDOWN_PERIOD,
                    ScalingPolicy.DEFAULT_LAG_THRESHOLD, ScalingPolicy.ACTIVATION_LAG_THRESHOLD);
            int max = (int) o.number("max-scale", p.maxScale());
            ScalingPolicy policy = new ScalingPolicy(p.autoscaled(), Math.min(p.minScale(), max), max, p.pollingInterval(),
                    p.cooldownPeriod(), p.lagThreshold(), p.activationLagThreshold());
            PodScaling pods = null;
            if (functionPods.equals("knative")) {
                String service = current.containsKey(t.name()) ? current.get(t.name()).service() : null;
                pods = services.getOrDefault(service, PodScaling.knativeDefaults(podColdStart));
            }
            Candidate now = new Candidate(policy, hpa, coldStart, tick, inFlight, commit, rebalance, pods);
            Tuner.Tuning tuning = Tuner.tune(t, trace.stepSeconds(), now, slo, seed);
            report.add(json(tuning));
            plot(out, tuning);
            System.out.printf(Locale.ROOT, "%s (%s, %d partitions, %.0f s)%s%n  now:         %s: %s%n  recommended: %s: %s%s%n",
                    t.name(), t.ordered() ? "ordered" : "unordered", t.partitions(), t.seconds(trace.stepSeconds()),
                    pods == null ? "" : "\n  function:    " + pods.describe(), now.describe(), outcome(tuning.current()),
                    tuning.recommended().candidate().describe(), outcome(tuning.recommended()),
                    tuning.meets() ? "" : " (nothing tried meets p99 <= " + slo + " ms: the lowest wait instead)");
        }
        Trace.JSON.writeValue(out.resolve("tuning.json").toFile(), report);
        System.out.println("wrote " + out.resolve("tuning.json") + " and the plots beside it");
    }

    /** The simulation beside the real runtime, for a tight and a loose lag threshold on the same short trace. */
    static void validate(Options o) throws Exception {
        Path out = Path.of(o.get("out", "target/tuning"));
        Files.createDirectories(out);
        Map<String, ScalingPolicy> settings = new LinkedHashMap<>();
        settings.put("threshold-50", Validation.policy(50));
        settings.put("threshold-2000", Validation.policy(2000));
        List<Validation.Run> runs;
        try (im.parley.stack.KafkaServer kafka = im.parley.stack.KafkaServer.ephemeral()) {
            kafka.start();
            runs = Validation.run(kafka, Files.createTempDirectory("tuning-validation"),
                    Validation.trace((int) o.number("seconds", 60)), settings);
        }
        for (Validation.Run r : runs) {
            System.out.printf(Locale.ROOT, "%s: replicas off by %.2f on average, lag by %.0f %% of its peak (peak %d"
                            + " measured, %d simulated); replica-seconds %.0f measured, %.0f simulated%n", r.setting(),
                    r.replicaError(), r.lagError() * 100, r.peakLag(), r.simulatedPeakLag(), r.replicaSeconds(),
                    r.simulatedReplicaSeconds());
        }
        Trace.JSON.writeValue(out.resolve("validation.json").toFile(), runs.stream().map(r -> Map.of("setting", r.setting(),
                "lagThreshold", r.policy().lagThreshold(), "replicaError", r.replicaError(), "lagError", r.lagError(),
                "replicaSeconds", r.replicaSeconds(), "simulatedReplicaSeconds", r.simulatedReplicaSeconds(),
                "peakLag", r.peakLag(), "simulatedPeakLag", r.simulatedPeakLag(), "points", r.points())).toList());
        Validation.plot(out, runs);
        System.out.println("wrote " + out.resolve("validation.json") + " and the plots beside it");
    }

    private static String outcome(Tuner.Trial t) {
        Simulation.Result r = t.result();
        return String.format(Locale.ROOT, "p99 wait %.0f ms, %.0f replica-s%s", r.p99WaitMs(), r.replicaSeconds(),
                t.candidate().pods() == null ? "" : String.format(Locale.ROOT, " + %.0f function pod-s", r.podSeconds()));
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
        if (t.candidate().pods() != null) {
            n.put("functionPodsMinScale", t.candidate().pods().minScale());
        }
        n.put("p50WaitMs", round(t.result().p50WaitMs()));
        n.put("p99WaitMs", round(t.result().p99WaitMs()));
        n.put("maxWaitMs", round(t.result().maxWaitMs()));
        n.put("replicaSeconds", round(t.result().replicaSeconds()));
        n.put("podSeconds", round(t.result().podSeconds()));
        n.put("events", t.result().events());
        return n;
    }

    static double round(double v) {
        return Math.round(v * 10) / 10.0;
    }

    static void plot(Path out, Tuner.Tuning tuning) throws Exception {
        Map<String, List<double[]>> lag = new LinkedHashMap<>();
        Map<String, List<double[]>> replicas = new LinkedHashMap<>();
        Map<String, List<double[]>> waits = new LinkedHashMap<>();
        for (var named : List.of(Map.entry("now", tuning.current()), Map.entry("recommended", tuning.recommended()))) {
            List<double[]> l = new ArrayList<>();
            List<double[]> r = new ArrayList<>();
            List<double[]> p = new ArrayList<>();
            List<double[]> w = new ArrayList<>();
            for (Simulation.Second s : named.getValue().result().seconds()) {
                w.add(new double[] {s.second(), s.maxWaitMs()});
                l.add(new double[] {s.second(), s.lag()});
                r.add(new double[] {s.second(), s.replicas()});
                p.add(new double[] {s.second(), s.pods()});
            }
            lag.put("lag, " + named.getKey(), l);
            waits.put("longest wait, " + named.getKey(), w);
            replicas.put("replicas, " + named.getKey(), r);
            if (named.getValue().candidate().pods() != null) {
                replicas.put("function pods, " + named.getKey(), p);
            }
        }
        LineChart.write(out.resolve(tuning.trigger() + "-lag.png"), tuning.trigger() + ": lag over time", "second", "events",
                lag);
        LineChart.write(out.resolve(tuning.trigger() + "-replicas.png"), tuning.trigger() + ": replicas over time", "second",
                "replicas", replicas);
        LineChart.write(out.resolve(tuning.trigger() + "-wait.png"), tuning.trigger() + ": longest wait per second",
                "second", "ms", waits);
        List<double[]> front = tuning.front().stream()
                .map(t -> new double[] {t.result().cost(), t.result().p99WaitMs()}).toList();
        LineChart.write(out.resolve(tuning.trigger() + "-front.png"), tuning.trigger() + ": cheapest settings per p99 wait",
                "pod-seconds (consumer replicas and function pods)", "p99 wait (ms)", Map.of("trade-off", front));
    }
}
