package im.parley.launcher;

import im.parley.eventing.runtime.EventingRuntime;
import im.parley.eventing.runtime.RuntimeSettings;
import im.parley.eventing.runtime.dispatch.DispatchSettings;
import im.parley.eventing.runtime.scaling.HpaBehavior;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The local Knative Kafka Broker: the Triggers of manifests/overlays/local, dispatched to the function modules
 * on the launcher's class path (in-process) and scaled on lag by their keda/ settings.
 */
final class EventingPart implements Part {

    private final LauncherOptions options;
    private final String kafka;
    private final Supplier<Map<String, Object>> functionProperties;
    private EventingRuntime runtime;

    /** @param functionProperties the functions' settings, asked for at start (the push sandbox's exist only then) */
    EventingPart(LauncherOptions options, String kafka, Supplier<Map<String, Object>> functionProperties) {
        this.options = options;
        this.kafka = kafka;
        this.functionProperties = functionProperties;
    }

    @Override
    public String name() {
        return "Eventing";
    }

    @Override
    public void start() {
        runtime = EventingRuntime.start(new RuntimeSettings(kafka, Path.of("manifests/overlays/local").toAbsolutePath(),
                Map.of(), HostedFunctions.discover(functionProperties.get()), DispatchSettings.defaults(),
                HpaBehavior.kubernetesDefaults(), "127.0.0.1", options.port(18082), options.port(18083)));
        try {
            // Ready means every dispatched Trigger holds its partitions: nothing sent from now on is missed.
            runtime.awaitReady(Duration.ofSeconds(60));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the triggers joined their groups", e);
        }
    }

    @Override
    public void stop() {
        if (runtime != null) {
            runtime.close();
        }
    }

    @Override
    public long pid() {
        return ProcessHandle.current().pid();
    }

    @Override
    public List<String> endpoints() {
        int triggers = runtime.manifests().triggers().size();
        List<String> waiting = runtime.unresolved();
        return List.of(
                "Eventing            " + (triggers - waiting.size()) + " of " + triggers + " triggers dispatched"
                        + (waiting.isEmpty() ? "" : "; the rest wait for their function modules"),
                "Eventing metrics    http://127.0.0.1:" + runtime.metricsPort() + "/metrics",
                "Broker ingress      " + runtime.ingressUri() + "/parley/<broker> (POST a CloudEvent)");
    }
}
