package im.parley.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import im.parley.eventing.EventJson;
import im.parley.eventing.binding.KafkaBinding;
import im.parley.eventing.runtime.EventingRuntime;
import im.parley.eventing.runtime.RuntimeSettings;
import im.parley.eventing.runtime.dispatch.DispatchSettings;
import im.parley.eventing.runtime.scaling.HpaBehavior;
import im.parley.launcher.HostedFunctions;
import im.parley.eventing.runtime.scaling.TriggerDeployment;
import im.parley.functions.hosting.FunctionApplication;
import im.parley.functions.hosting.FunctionDescriptor;
import im.parley.functions.hosting.EventSenders;
import im.parley.functions.hosting.FunctionHttpServer;
import im.parley.stack.KafkaServer;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * What the local eventing runtime costs per event, and how fast a function starts (target P7).
 * <ul>
 *   <li>Dispatch: the same no-op function behind a bare Kafka consumer loop (the baseline: read, parse the
 *       CloudEvent, call, commit), behind the runtime in-process, and behind the runtime over HTTP. Throughput
 *       with a burst of events on an unordered Trigger, and latency from produce to function at a steady rate.</li>
 *   <li>Cold start: a function process from exec to its first event handled; and, in the runtime, the first
 *       event after the Trigger was scaled to zero.</li>
 *   <li>Scale-up: the longest an event of an ordered Trigger waits while a scale-up moves partitions, with Kafka's
 *       usual heartbeat and with the runtime's.</li>
 * </ul>
 * Figures are medians over the runs. Run: ./parley bench dispatch [burst events] [paced events] [runs]
 * [parts: dispatch,cold-start,scale-up]
 */
public final class DispatchBenchmark {

    public static final int PARTITIONS = 12;
    static final int PACED_RATE = 100;
    static final FunctionDescriptor NOOP = new FunctionDescriptor("bench-noop", "noop", BenchFunctions.class.getName());
    static final String[] MODES = {"bare consumer", "runtime in-process", "runtime over HTTP"};

    record Sample(String mode, int run, double eventsPerSecond, double p50Micros, double p99Micros) {
    }

    public static void main(String[] args) throws Exception {
        int burst = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        int paced = args.length > 1 ? Integer.parseInt(args[1]) : 1_000;
        int runs = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        List<String> parts = List.of((args.length > 3 ? args[3] : "dispatch,cold-start,scale-up").split(","));
        Path work = Files.createTempDirectory("parley-dispatch-bench");
        List<Sample> samples = new ArrayList<>();
        List<Double> processColdStarts = new ArrayList<>();
        List<Double> cdsColdStarts = new ArrayList<>();
        List<Double> scaleFromZero = new ArrayList<>();
        Map<String, List<Double>> scaleUpStalls = new LinkedHashMap<>();
        try (KafkaServer kafka = KafkaServer.ephemeral()) {
            kafka.start();
            try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(), ProducerConfig.ACKS_CONFIG, "all",
                    // As the connection tier's producer: 1 ms of batching keeps the broker's request queue short.
                    ProducerConfig.LINGER_MS_CONFIG, 1), new StringSerializer(), new ByteArraySerializer())) {
                for (int run = 1; run <= runs && parts.contains("dispatch"); run++) {
                    for (String mode : MODES) {
                        Sample s = dispatch(mode, run, kafka, producer, work, burst, paced);
                        samples.add(s);
                        System.out.printf(Locale.ROOT, "run %d %-20s %9.0f events/s   latency p50 %7.0f us  p99 %7.0f us%n",
                                run, mode, s.eventsPerSecond(), s.p50Micros(), s.p99Micros());
                    }
                }
                for (int i = 0; i < 5 && parts.contains("cold-start"); i++) {
                    processColdStarts.add(processColdStart(work, List.of()));
                    System.out.printf(Locale.ROOT, "function process: exec to first event handled %.0f ms%n",
                            processColdStarts.get(i));
                }
                // With a class-data sharing archive recorded by one training start, as an image build would.
                Path archive = work.resolve("function.jsa");
                if (parts.contains("cold-start")) {
                    processColdStart(work, List.of("-XX:ArchiveClassesAtExit=" + archive));
                }
                for (int i = 0; i < 5 && parts.contains("cold-start"); i++) {
                    cdsColdStarts.add(processColdStart(work, List.of("-XX:SharedArchiveFile=" + archive)));
                    System.out.printf(Locale.ROOT, "function process with AppCDS: exec to first event handled %.0f ms%n",
                            cdsColdStarts.get(i));
                }
                if (parts.contains("cold-start")) {
                    scaleFromZero.addAll(scaleFromZero(kafka, producer, work, 3));
                }
                // Kafka's usual heartbeat (a third of the 10 s session) against the runtime's.
                for (Duration heartbeat : List.of(Duration.ofMillis(3333), DispatchSettings.defaults().heartbeat())) {
                    for (int run = 1; run <= runs && parts.contains("scale-up"); run++) {
                        double longest = scaleUpStall(kafka, producer, work, heartbeat, run);
                        scaleUpStalls.computeIfAbsent(heartbeat.toMillis() + " ms", k -> new ArrayList<>()).add(longest);
                        System.out.printf(Locale.ROOT, "scale-up 1 -> %d replicas at %d events/s, heartbeat %d ms:"
                                + " the longest an event waited %.0f ms%n", SCALED_TO, STALL_RATE, heartbeat.toMillis(), longest);
                    }
                }
            }
        }
        report(samples, processColdStarts, cdsColdStarts, scaleFromZero, scaleUpStalls, parts, burst, paced, runs);
    }

    private static Sample dispatch(String mode, int run, KafkaServer kafka, KafkaProducer<String, byte[]> producer,
                                   Path work, int burst, int paced) throws Exception {
        String namespace = "bench" + run + mode.replaceAll("[^a-z]", "").substring(0, 6);
        String topic = "knative-broker-" + namespace + "-default";
        BenchFunctions.recorder = new BenchFunctions.Recorder(paced);
        AutoCloseable running;
        if (mode.equals(MODES[0])) {
            kafka.createTopic(topic, PARTITIONS);
            running = bareConsumer(kafka.bootstrapServers(), topic);
        } else {
            FunctionHttpServer http = null;
            String subscriber;
            if (mode.equals(MODES[2])) {
                http = FunctionHttpServer.start(FunctionApplication.start(NOOP, Map.of()), "127.0.0.1", 0, 64,
                        EventSenders.ANYONE);
                subscriber = "uri: http://127.0.0.1:" + http.port() + "/";
            } else {
                subscriber = "ref: {apiVersion: serving.knative.dev/v1, kind: Service, name: bench-noop}";
            }
            // One fixed replica: with KEDA enabled, a Trigger without a class would be lag-scaled from zero.
            Path manifests = manifests(work.resolve(namespace), namespace,
                    "    autoscaling.eventing.knative.dev/class: disabled\n", subscriber);
            EventingRuntime runtime = EventingRuntime.start(new RuntimeSettings(kafka.bootstrapServers(), manifests,
                    Map.of(), new HostedFunctions(List.of(NOOP), Map.of()), DispatchSettings.defaults(),
                    HpaBehavior.kubernetesDefaults(), "127.0.0.1", -1, -1));
            runtime.awaitReady(Duration.ofSeconds(60));
            FunctionHttpServer server = http;
            running = () -> {
                runtime.close();
                if (server != null) {
                    server.close();
                }
            };
        }
        try (AutoCloseable ignored = running) {
            Thread.sleep(500);
            // Throughput: a burst, from the first send to the last event handled.
            long start = System.nanoTime();
            for (int i = 0; i < burst; i++) {
                producer.send(KafkaBinding.toRecord(topic, event("b" + i, "k" + (i % 500), null)));
            }
            producer.flush();
            await(() -> BenchFunctions.recorder.count.get() >= burst, Duration.ofMinutes(5));
            double seconds = (System.nanoTime() - start) / 1e9;
            // Latency: a steady rate, each event timed from its send, low enough that Kafka does not queue.
            BenchFunctions.Recorder latency = new BenchFunctions.Recorder(paced);
            BenchFunctions.recorder = latency;
            long next = System.nanoTime();
            for (int i = 0; i < paced; i++) {
                next += 1_000_000_000L / PACED_RATE;
                LockSupport.parkNanos(next - System.nanoTime());
                producer.send(KafkaBinding.toRecord(topic, event("p" + i, "k" + (i % 500), System.nanoTime())));
            }
            await(() -> latency.count.get() >= paced, Duration.ofMinutes(2));
            long[] sorted = Arrays.copyOf(latency.latencies, paced);
            Arrays.sort(sorted);
            return new Sample(mode, run, burst / seconds, sorted[paced / 2] / 1e3, sorted[(int) (paced * 0.99)] / 1e3);
        }
    }

    /** The baseline: one consumer, no filters, no retries, no offset bookkeeping beyond a commit per poll. */
    private static AutoCloseable bareConsumer(String bootstrap, String topic) throws InterruptedException {
        FunctionApplication function = FunctionApplication.start(NOOP, Map.of());
        KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "bare-" + topic, ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false), new StringDeserializer(), new ByteArrayDeserializer());
        java.util.concurrent.atomic.AtomicInteger assigned = new java.util.concurrent.atomic.AtomicInteger();
        consumer.subscribe(List.of(topic), new org.apache.kafka.clients.consumer.ConsumerRebalanceListener() {
            @Override
            public void onPartitionsRevoked(java.util.Collection<org.apache.kafka.common.TopicPartition> partitions) {
            }

            @Override
            public void onPartitionsAssigned(java.util.Collection<org.apache.kafka.common.TopicPartition> partitions) {
                // Resolve "latest" now: resolved lazily, it would skip events sent in between.
                partitions.forEach(consumer::position);
                assigned.addAndGet(partitions.size());
            }
        });
        java.util.concurrent.atomic.AtomicBoolean running = new java.util.concurrent.atomic.AtomicBoolean(true);
        Thread loop = new Thread(() -> {
            try {
                long nextCommit = System.nanoTime();
                while (running.get()) {
                    for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                        function.apply(KafkaBinding.fromRecord(record));
                    }
                    if (System.nanoTime() - nextCommit >= 0) { // as often as the runtime commits
                        consumer.commitAsync();
                        nextCommit = System.nanoTime() + 100_000_000L;
                    }
                }
            } catch (org.apache.kafka.common.errors.WakeupException e) {
                // stopping
            } finally {
                consumer.close();
            }
        }, "bare-consumer");
        loop.setDaemon(true);
        loop.start();
        while (assigned.get() < PARTITIONS) {
            Thread.sleep(20);
        }
        return () -> {
            running.set(false);
            consumer.wakeup();
            loop.join(10_000);
            function.close();
        };
    }

    /** From exec of a function's JVM to its first event handled, with the flags the Knative Services use. */
    private static double processColdStart(Path work, List<String> extraFlags) throws Exception {
        return ColdStartBenchmark.execToFirstEvent(work, Path.of(System.getProperty("java.home")), extraFlags);
    }

    /** In the runtime: a Trigger at zero replicas (polling 1 s, cooldown 1 s) receives one event. */
    private static List<Double> scaleFromZero(KafkaServer kafka, KafkaProducer<String, byte[]> producer, Path work, int times)
            throws Exception {
        String namespace = "benchzero";
        Path manifests = manifests(work.resolve(namespace), namespace, """
                    autoscaling.eventing.knative.dev/class: keda.autoscaling.knative.dev
                    autoscaling.eventing.knative.dev/min-scale: "0"
                    autoscaling.eventing.knative.dev/max-scale: "1"
                    autoscaling.eventing.knative.dev/polling-interval: "1"
                    autoscaling.eventing.knative.dev/cooldown-period: "1"
                """, "ref: {apiVersion: serving.knative.dev/v1, kind: Service, name: bench-noop}");
        List<Double> result = new ArrayList<>();
        try (EventingRuntime runtime = EventingRuntime.start(new RuntimeSettings(kafka.bootstrapServers(), manifests,
                Map.of(), new HostedFunctions(List.of(NOOP), Map.of()), DispatchSettings.defaults(),
                    HpaBehavior.kubernetesDefaults(), "127.0.0.1", -1, -1))) {
            TriggerDeployment trigger = runtime.deployment("bench");
            await(() -> trigger.replicas() == 1, Duration.ofSeconds(30));
            for (int i = 0; i < times; i++) {
                await(() -> trigger.replicas() == 0 && !runtime.functions().isRunning(NOOP.service()), Duration.ofSeconds(60));
                BenchFunctions.Recorder recorder = new BenchFunctions.Recorder(1);
                BenchFunctions.recorder = recorder;
                producer.send(KafkaBinding.toRecord("knative-broker-" + namespace + "-default", event("z" + i, "k", System.nanoTime())));
                producer.flush();
                await(() -> recorder.count.get() == 1, Duration.ofSeconds(60));
                result.add(recorder.latencies[0] / 1e6);
                System.out.printf(Locale.ROOT, "runtime: first event after scale-from-zero handled in %.0f ms%n", result.get(i));
            }
        }
        return result;
    }

    static final int STALL_RATE = 200;
    static final int SCALED_TO = 4;

    /**
     * An ordered Trigger at one replica under a steady rate is scaled to {@link #SCALED_TO} a third of the way in, as
     * the autoscaler would on a burst of lag. Partitions move to the new replicas; the longest any event waited from
     * its send to the function tells how long the moved ones had no owner.
     */
    private static double scaleUpStall(KafkaServer kafka, KafkaProducer<String, byte[]> producer, Path work,
                                       Duration heartbeat, int run) throws Exception {
        String namespace = "benchstall" + heartbeat.toMillis() + "r" + run;
        Path manifests = manifests(work.resolve(namespace), namespace, "ordered",
                "    autoscaling.eventing.knative.dev/class: disabled\n",
                "ref: {apiVersion: serving.knative.dev/v1, kind: Service, name: bench-noop}");
        try (EventingRuntime runtime = EventingRuntime.start(new RuntimeSettings(kafka.bootstrapServers(), manifests,
                Map.of(), new HostedFunctions(List.of(NOOP), Map.of()), DispatchSettings.defaults().withHeartbeat(heartbeat),
                HpaBehavior.kubernetesDefaults(), "127.0.0.1", -1, -1))) {
            runtime.awaitReady(Duration.ofSeconds(60));
            TriggerDeployment trigger = runtime.deployment("bench");
            int events = STALL_RATE * 12;
            BenchFunctions.Recorder recorder = new BenchFunctions.Recorder(events);
            BenchFunctions.recorder = recorder;
            String topic = "knative-broker-" + namespace + "-default";
            long next = System.nanoTime();
            for (int i = 0; i < events; i++) {
                if (i == events / 3) {
                    Thread scaler = new Thread(() -> trigger.scaleTo(SCALED_TO), "bench-scale-up");
                    scaler.setDaemon(true);
                    scaler.start();
                }
                next += 1_000_000_000L / STALL_RATE;
                LockSupport.parkNanos(next - System.nanoTime());
                producer.send(KafkaBinding.toRecord(topic, event("s" + i, "k" + (i % 500), System.nanoTime())));
            }
            await(() -> recorder.count.get() >= events, Duration.ofMinutes(2));
            return Arrays.stream(recorder.latencies, 0, events).max().orElse(0) / 1e6;
        }
    }

    private static Path manifests(Path dir, String namespace, String annotations, String subscriber) throws Exception {
        return manifests(dir, namespace, "unordered", annotations, subscriber);
    }

    /**
     * A namespace of its own for the local runtime: one Broker, its topic of {@link #PARTITIONS} partitions, and one
     * Trigger named {@code bench} with the given delivery order, annotations (indented YAML lines) and subscriber.
     */
    public static Path manifests(Path dir, String namespace, String order, String annotations, String subscriber)
            throws Exception {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("kustomization.yaml"), "namespace: " + namespace + "\nresources: [eventing.yaml]\n");
        String topic = "knative-broker-" + namespace + "-default";
        Files.writeString(dir.resolve("eventing.yaml"), """
                apiVersion: eventing.knative.dev/v1
                kind: Broker
                metadata:
                  name: default
                  annotations:
                    kafka.eventing.knative.dev/external.topic: %s
                ---
                apiVersion: kafka.strimzi.io/v1
                kind: KafkaTopic
                metadata:
                  name: %s
                spec:
                  partitions: %d
                ---
                apiVersion: eventing.knative.dev/v1
                kind: Trigger
                metadata:
                  name: bench
                  annotations:
                    kafka.eventing.knative.dev/delivery.order: %s
                %s
                spec:
                  broker: default
                  subscriber:
                    %s
                """.formatted(topic, topic, PARTITIONS, order, annotations.stripTrailing(), subscriber));
        return dir;
    }

    static CloudEvent event(String id, String key, Long sentNanos) {
        CloudEventBuilder b = CloudEventBuilder.v1().withId(id).withSource(URI.create("/bench")).withType("bench.event")
                .withExtension("partitionkey", key)
                .withData("application/json", "{\"text\":\"hello\"}".getBytes(StandardCharsets.UTF_8));
        if (sentNanos != null) {
            b.withExtension("benchsent", Long.toString(sentNanos));
        }
        return b.build();
    }

    private static void await(java.util.function.BooleanSupplier condition, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("timed out after " + timeout);
            }
            Thread.sleep(1);
        }
    }

    private static void report(List<Sample> samples, List<Double> processColdStarts, List<Double> cdsColdStarts,
                               List<Double> scaleFromZero, Map<String, List<Double>> scaleUpStalls,
                               List<String> parts, int burst, int paced, int runs) throws Exception {
        Path dir = Path.of("docs/benchmarks");
        Files.createDirectories(dir);
        ObjectNode json = EventJson.MAPPER.createObjectNode();
        json.put("benchmark", "dispatch").put("burstEvents", burst).put("pacedEvents", paced).put("pacedRate", PACED_RATE)
                .put("runs", runs).put("partitions", PARTITIONS);
        if (!samples.isEmpty()) {
            dispatchMedians(json, samples, runs, dir);
        }
        if (!processColdStarts.isEmpty()) {
            json.putObject("coldStartMillis")
                    .put("functionProcessExecToFirstEventMedian", Stats.median(processColdStarts))
                    .put("functionProcessWithAppCdsMedian", Stats.median(cdsColdStarts))
                    .put("runtimeScaleFromZeroToFirstEventMedian", Stats.median(scaleFromZero))
                    .putPOJO("functionProcessSamples", processColdStarts).putPOJO("scaleFromZeroSamples", scaleFromZero);
            System.out.printf(Locale.ROOT, "cold start medians: function process %.0f ms, with AppCDS %.0f ms; runtime"
                    + " scale-from-zero %.0f ms%n", Stats.median(processColdStarts), Stats.median(cdsColdStarts),
                    Stats.median(scaleFromZero));
        }
        ObjectNode stalls = json.putObject("scaleUpLongestWaitMillis").put("rate", STALL_RATE).put("scaledTo", SCALED_TO);
        scaleUpStalls.forEach((heartbeat, longest) -> {
            stalls.putObject("heartbeat " + heartbeat).put("median", Stats.median(longest)).putPOJO("samples", longest);
            System.out.printf(Locale.ROOT, "scale-up, heartbeat %s: the longest wait, median %.0f ms%n", heartbeat,
                    Stats.median(longest));
        });
        json.putPOJO("samples", samples);
        // A run of some parts only keeps its figures apart from the full run's.
        String name = parts.size() == 3 ? "dispatch" : "dispatch-" + String.join("-", parts);
        EventJson.MAPPER.writerWithDefaultPrettyPrinter().writeValue(dir.resolve(name + ".json").toFile(), json);
        System.out.println("wrote " + dir.resolve(name + ".json"));
    }

    private static void dispatchMedians(ObjectNode json, List<Sample> samples, int runs, Path dir) throws Exception {
        ObjectNode medians = json.putObject("medians");
        Map<String, LinkedHashMap<String, Double>> chart = new LinkedHashMap<>();
        chart.put("µs per event (1 / throughput)", new LinkedHashMap<>());
        chart.put("latency p50 (µs)", new LinkedHashMap<>());
        chart.put("latency p99 (µs)", new LinkedHashMap<>());
        double bareRate = 0;
        double bareP50 = 0;
        for (String mode : MODES) {
            List<Sample> own = samples.stream().filter(s -> s.mode().equals(mode)).toList();
            double rate = Stats.median(own.stream().map(Sample::eventsPerSecond).toList());
            double p50 = Stats.median(own.stream().map(Sample::p50Micros).toList());
            double p99 = Stats.median(own.stream().map(Sample::p99Micros).toList());
            if (mode.equals(MODES[0])) {
                bareRate = rate;
                bareP50 = p50;
            }
            medians.putObject(mode).put("eventsPerSecond", rate).put("microsPerEvent", 1e6 / rate)
                    .put("overheadMicrosPerEventOverBare", 1e6 / rate - 1e6 / bareRate)
                    .put("throughputRatioToBare", rate / bareRate)
                    .put("latencyP50Micros", p50).put("latencyP99Micros", p99).put("latencyP50RatioToBare", p50 / bareP50);
            chart.get("µs per event (1 / throughput)").put(mode, 1e6 / rate);
            chart.get("latency p50 (µs)").put(mode, p50);
            chart.get("latency p99 (µs)").put(mode, p99);
            System.out.printf(Locale.ROOT, "median %-20s %9.0f events/s (%.1f us/event, %.2fx bare)   p50 %6.0f us  p99 %6.0f us%n",
                    mode, rate, 1e6 / rate, bareRate / rate, p50, p99);
        }
        BarChart.write(dir.resolve("dispatch.png"), "Dispatch of a no-op function, median of " + runs + " runs", "µs", chart);
    }

    private DispatchBenchmark() {
    }
}
