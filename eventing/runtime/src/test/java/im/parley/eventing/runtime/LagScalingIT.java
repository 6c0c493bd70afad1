package im.parley.eventing.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import im.parley.eventing.binding.KafkaBinding;
import im.parley.eventing.runtime.scaling.TriggerDeployment;
import im.parley.stack.KafkaServer;
import im.parley.stack.junit.LocalStack;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * KEDA's Kafka-lag scaling and the HPA behind it, applied to a real consumer group: activation, scale up, no flapping
 * down while the stabilization window lasts, scale to zero after the cooldown. The HPA runs ten times faster here.
 */
@LocalStack
class LagScalingIT {

    @TempDir
    Path dir;

    @BeforeAll
    static void start(KafkaServer kafka) {
        EventingRuntimeIT.start(kafka);
    }

    @Test
    void aTriggerScalesWithLagAndItsFunctionStopsAtZeroAndColdStartsOnLag() throws Exception {
        TestManifests m = new TestManifests("scaling", 4).trigger("sink", """
                kafka.eventing.knative.dev/delivery.order: ordered
                autoscaling.eventing.knative.dev/class: keda.autoscaling.knative.dev
                autoscaling.eventing.knative.dev/min-scale: "0"
                autoscaling.eventing.knative.dev/max-scale: "3"
                autoscaling.eventing.knative.dev/polling-interval: "1"
                autoscaling.eventing.knative.dev/cooldown-period: "3"
                autoscaling.eventing.knative.dev/lag-threshold: "5"
                """, """
                subscriber:
                  ref:
                    apiVersion: serving.knative.dev/v1
                    kind: Service
                    name: sink
                """);
        TestFunctions.SUNK.clear();
        try (EventingRuntime runtime = EventingRuntimeIT.run(m.write(dir.resolve("m")), Map.of(), List.of(EventingRuntimeIT.SINK))) {
            TriggerDeployment sink = runtime.deployment("sink");
            List<Integer> history = new CopyOnWriteArrayList<>();
            Thread watcher = watch(sink, history);
            try {
                // The group exists from the start, anchored at the log end as Knative creates it with the Trigger:
                // no lag, so no replica, and what is produced from now on waits for one.
                Thread.sleep(2500);
                assertThat(sink.replicas()).isZero();
                assertThat(runtime.functions().isRunning("sink")).isFalse();

                history.clear();
                long produced = System.nanoTime();
                for (int i = 0; i < 600; i++) {
                    EventingRuntimeIT.producer.send(KafkaBinding.toRecord(m.topic(),
                            EventingRuntimeIT.event("busy-" + i, "test.scale", "k" + i)));
                }
                EventingRuntimeIT.producer.flush();
                EventingRuntimeIT.await(() -> !TestFunctions.SUNK.isEmpty(), "the first event after scale-from-zero");
                long firstHandledMillis = (System.nanoTime() - produced) / 1_000_000;
                EventingRuntimeIT.await(() -> TestFunctions.SUNK.size() == 600, "all 600 events handled");

                // KEDA activates one replica; the HPA's next sync sees lag 600 -> ceil(600 / 5) = 120, capped at
                // max-scale 3. Drained, the HPA's scale-down stabilization holds the replicas (no
                // flapping), until KEDA's cooldown has passed since the lag was last active: then zero.
                awaitReplicas(sink, 0, Duration.ofSeconds(30));
                history.add(sink.replicas());
                assertThat(runtime.functions().isRunning("sink")).isFalse();
                assertThat(collapse(history)).containsSubsequence(1, 3, 0);
                assertThat(collapse(history)).as("never stepped down before zero").doesNotContainSequence(3, 1)
                        .doesNotContainSequence(3, 2);
                assertThat(history).allMatch(n -> n <= 3);
                System.out.printf("scale-from-zero: first event handled %d ms after it was produced; replicas %s%n",
                        firstHandledMillis, collapse(history));
                assertThat(firstHandledMillis).isLessThan(10_000);
            } finally {
                watcher.interrupt();
            }
        }
    }

    private static Thread watch(TriggerDeployment deployment, List<Integer> history) {
        Thread t = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                history.add(deployment.replicas());
                try {
                    Thread.sleep(10);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static List<Integer> collapse(List<Integer> history) {
        List<Integer> changes = new ArrayList<>();
        for (Integer n : history) {
            if (changes.isEmpty() || !changes.get(changes.size() - 1).equals(n)) {
                changes.add(n);
            }
        }
        return changes;
    }

    private static void awaitReplicas(TriggerDeployment deployment, int n, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (deployment.replicas() != n) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("replicas stayed at " + deployment.replicas() + ", expected " + n);
            }
            Thread.sleep(50);
        }
    }
}
