package im.parley.tuning;

import im.parley.bench.DispatchBenchmark;
import im.parley.bench.LineChart;
import im.parley.eventing.binding.KafkaBinding;
import im.parley.eventing.runtime.EventingRuntime;
import im.parley.eventing.runtime.RuntimeSettings;
import im.parley.eventing.runtime.dispatch.DispatchSettings;
import im.parley.eventing.runtime.scaling.HpaBehavior;
import im.parley.eventing.runtime.scaling.TriggerDeployment;
import im.parley.eventing.runtime.trigger.ScalingPolicy;
import im.parley.functions.hosting.FunctionDescriptor;
import im.parley.launcher.HostedFunctions;
import im.parley.stack.KafkaServer;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Checks the simulation against the real local runtime: one Trigger fed a short trace through real Kafka, with a
 * function that takes the trace's time per event, once per setting; its replicas and lag sampled every second and
 * set beside the simulation of the same trace and setting. The HPA runs on a tenth of Kubernetes' clock in both, so
 * that a scale-down window fits in a minute.
 */
public final class Validation {

    static final String TRIGGER = "bench";
    static final int PARTITIONS = DispatchBenchmark.PARTITIONS;
    static final HpaBehavior HPA = HpaBehavior.kubernetesDefaults().scaled(0.1);
    /** The dispatch benchmark's scale-up stall with the runtime's heartbeat (docs/benchmarks.md). */
    static final Duration REBALANCE = Duration.ofMillis(317);
    static final FunctionDescriptor WORK = new FunctionDescriptor("tuning-work", "work", WorkFunction.class.getName());

    /** Replicas and lag of one second, measured and simulated. */
    public record Point(int second, int replicas, long lag, int simulatedReplicas, long simulatedLag) {
    }

    /**
     * One setting's run: the mean absolute error of replicas and of lag (the latter over the peak lag), and the peak
     * lag measured and simulated.
     */
    public record Run(String setting, ScalingPolicy policy, List<Point> points, double replicaError, double lagError,
                      double replicaSeconds, double simulatedReplicaSeconds, long peakLag, long simulatedPeakLag) {
    }

    private Validation() {
    }

    /** 5 s quiet, 20 s at 400/s on 12 ordered partitions of 40 ms (300/s at most), then quiet until the end. */
    public static Trace.TriggerTrace trace(int seconds) {
        List<Double> rates = new ArrayList<>();
        for (int s = 0; s < seconds; s++) {
            rates.add(s >= 5 && s < 25 ? 400.0 : 0.0);
        }
        return new Trace.TriggerTrace(TRIGGER, true, PARTITIONS, rates, List.of(40.0));
    }

    public static ScalingPolicy policy(long lagThreshold) {
        return new ScalingPolicy(true, 1, 8, Duration.ofSeconds(1), Duration.ofSeconds(5), lagThreshold, 0);
    }

    public static List<Run> run(KafkaServer kafka, Path work, Trace.TriggerTrace trace, Map<String, ScalingPolicy> settings)
            throws Exception {
        List<Run> runs = new ArrayList<>();
        for (Map.Entry<String, ScalingPolicy> setting : settings.entrySet()) {
            runs.add(once(kafka, work.resolve(setting.getKey()), trace, setting.getKey(), setting.getValue()));
        }
        return runs;
    }

    private static Run once(KafkaServer kafka, Path dir, Trace.TriggerTrace trace, String name, ScalingPolicy policy)
            throws Exception {
        String namespace = "tune" + name.replaceAll("[^a-z0-9]", "");
        String topic = "knative-broker-" + namespace + "-default";
        Path manifests = DispatchBenchmark.manifests(dir, namespace, "ordered", """
                    autoscaling.eventing.knative.dev/class: keda.autoscaling.knative.dev
                    autoscaling.eventing.knative.dev/min-scale: "%d"
                    autoscaling.eventing.knative.dev/max-scale: "%d"
                    autoscaling.eventing.knative.dev/polling-interval: "%d"
                    autoscaling.eventing.knative.dev/cooldown-period: "%d"
                    autoscaling.eventing.knative.dev/lag-threshold: "%d"
                """.formatted(policy.minScale(), policy.maxScale(), policy.pollingInterval().toSeconds(),
                policy.cooldownPeriod().toSeconds(), policy.lagThreshold()),
                "ref: {apiVersion: serving.knative.dev/v1, kind: Service, name: tuning-work}");
        Properties producerSettings = new Properties();
        producerSettings.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        producerSettings.put(ProducerConfig.LINGER_MS_CONFIG, 2);
        List<int[]> replicas = new ArrayList<>();
        List<long[]> lags = new ArrayList<>();
        // What was sent in each second: the simulation replays these, not the rates the sender aimed at.
        List<Double> sentPerSecond = new ArrayList<>();
        long sentBefore = 0;
        try (EventingRuntime runtime = EventingRuntime.start(new RuntimeSettings(kafka.bootstrapServers(), manifests, Map.of(),
                new HostedFunctions(List.of(WORK), Map.of()), DispatchSettings.defaults(), HPA, "127.0.0.1", 0, -1));
             KafkaProducer<String, byte[]> producer = new KafkaProducer<>(producerSettings, new StringSerializer(),
                     new ByteArraySerializer())) {
            runtime.awaitReady(Duration.ofSeconds(60));
            TriggerDeployment deployment = runtime.deployment(TRIGGER);
            URI metrics = URI.create("http://127.0.0.1:" + runtime.metricsPort() + "/metrics");
            HttpClient http = HttpClient.newHttpClient();
            SplittableRandom random = new SplittableRandom(1);
            long start = System.nanoTime();
            long nextSample = start + 1_000_000_000L;
            int second = 0;
            long end = start + (long) (trace.rates().size() * 1e9);
            long sent = 0;
            while (System.nanoTime() < end) {
                int step = (int) ((System.nanoTime() - start) / 1_000_000_000L);
                double rate = trace.rates().get(Math.min(step, trace.rates().size() - 1));
                if (rate > 0) {
                    double ms = trace.serviceMs().get(random.nextInt(trace.serviceMs().size()));
                    producer.send(KafkaBinding.toRecord(topic, event(sent++, "k" + random.nextInt(10_000), ms)));
                    LockSupport.parkNanos((long) (1e9 / rate));
                } else {
                    LockSupport.parkNanos(10_000_000L);
                }
                if (System.nanoTime() >= nextSample) {
                    second++;
                    replicas.add(new int[] {second, deployment.replicas()});
                    lags.add(new long[] {second, lag(http, metrics)});
                    sentPerSecond.add((double) (sent - sentBefore));
                    sentBefore = sent;
                    nextSample += 1_000_000_000L;
                }
            }
        }
        // As the local runtime runs: commits every second, about 0.3 s of pause when partitions move.
        Candidate candidate = new Candidate(policy, HPA, Duration.ZERO, Duration.ZERO, 64,
                DispatchSettings.defaults().commitInterval(), REBALANCE);
        Trace.TriggerTrace sentTrace = new Trace.TriggerTrace(trace.name(), trace.ordered(), trace.partitions(), sentPerSecond,
                trace.serviceMs());
        Simulation.Result simulated = Simulation.run(sentTrace, 1, candidate, 1);
        List<Point> points = new ArrayList<>();
        double replicaError = 0;
        double lagError = 0;
        long peak = 1;
        double measuredReplicaSeconds = 0;
        for (int i = 0; i < replicas.size() && i < simulated.seconds().size(); i++) {
            Simulation.Second s = simulated.seconds().get(i);
            Point p = new Point(replicas.get(i)[0], replicas.get(i)[1], lags.get(i)[1], s.replicas(), s.lag());
            points.add(p);
            replicaError += Math.abs(p.replicas() - p.simulatedReplicas());
            lagError += Math.abs(p.lag() - p.simulatedLag());
            peak = Math.max(peak, Math.max(p.lag(), p.simulatedLag()));
            measuredReplicaSeconds += p.replicas();
        }
        int n = Math.max(1, points.size());
        double simulatedReplicaSeconds = points.stream().mapToDouble(Point::simulatedReplicas).sum();
        return new Run(name, policy, points, replicaError / n, lagError / n / peak, measuredReplicaSeconds,
                simulatedReplicaSeconds, points.stream().mapToLong(Point::lag).max().orElse(0),
                points.stream().mapToLong(Point::simulatedLag).max().orElse(0));
    }

    static CloudEvent event(long n, String key, double serviceMs) {
        return CloudEventBuilder.v1().withId("t" + n).withSource(URI.create("/tuning")).withType("tuning.event")
                .withExtension("partitionkey", key).withExtension("servicems", Long.toString(Math.round(serviceMs)))
                .withData("application/json", "{}".getBytes(StandardCharsets.UTF_8)).build();
    }

    static long lag(HttpClient http, URI metrics) {
        try {
            String text = http.send(HttpRequest.newBuilder(metrics).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            double[] v = TraceRecorder.parse(text).byTrigger().get(TRIGGER);
            return v == null ? 0 : (long) v[TraceRecorder.Scrape.LAG];
        } catch (Exception e) {
            return -1;
        }
    }

    static void plot(Path out, List<Run> runs) throws Exception {
        for (Run r : runs) {
            Map<String, List<double[]>> replicas = new LinkedHashMap<>();
            Map<String, List<double[]>> lag = new LinkedHashMap<>();
            replicas.put("measured", r.points().stream().map(p -> new double[] {p.second(), p.replicas()}).toList());
            replicas.put("simulated", r.points().stream().map(p -> new double[] {p.second(), p.simulatedReplicas()}).toList());
            lag.put("measured", r.points().stream().map(p -> new double[] {p.second(), p.lag()}).toList());
            lag.put("simulated", r.points().stream().map(p -> new double[] {p.second(), p.simulatedLag()}).toList());
            LineChart.write(out.resolve("validation-" + r.setting() + "-replicas.png"), "Replicas, lag threshold "
                    + r.policy().lagThreshold() + ": the runtime and the simulation", "second", "replicas", replicas);
            LineChart.write(out.resolve("validation-" + r.setting() + "-lag.png"), "Lag, lag threshold "
                    + r.policy().lagThreshold() + ": the runtime and the simulation", "second", "events", lag);
        }
    }
}
