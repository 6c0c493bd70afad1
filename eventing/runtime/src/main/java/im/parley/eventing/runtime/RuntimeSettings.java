package im.parley.eventing.runtime;

import im.parley.eventing.runtime.dispatch.DispatchSettings;
import im.parley.eventing.runtime.scaling.HpaBehavior;
import im.parley.eventing.runtime.subscriber.InProcessFunctions;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * What the local runtime runs.
 *
 * @param manifests      the Kustomize root whose Triggers, Brokers and sinks are run
 * @param subscriberUrls Knative Services reached over HTTP, by service name; they win over in-process functions
 * @param functions      functions hosted in this process; the runtime closes them
 * @param hpa            how the HPA under each Trigger's ScaledObject behaves (Kubernetes' defaults)
 * @param metricsPort    port of {@code /metrics} and health, 0 for any, -1 for none
 * @param ingressPort    port of the brokers' HTTP ingress (on the metrics host), 0 for any, -1 for none
 */
public record RuntimeSettings(String bootstrapServers, Path manifests, Map<String, URI> subscriberUrls,
                              InProcessFunctions functions, DispatchSettings dispatch, HpaBehavior hpa,
                              String metricsHost, int metricsPort, int ingressPort) {

    public RuntimeSettings {
        subscriberUrls = Map.copyOf(subscriberUrls);
    }

    public RuntimeSettings withDispatch(DispatchSettings dispatch) {
        return new RuntimeSettings(bootstrapServers, manifests, subscriberUrls, functions, dispatch, hpa, metricsHost,
                metricsPort, ingressPort);
    }

    public RuntimeSettings withHpa(HpaBehavior hpa) {
        return new RuntimeSettings(bootstrapServers, manifests, subscriberUrls, functions, dispatch, hpa, metricsHost,
                metricsPort, ingressPort);
    }

    /**
     * From the environment, with every subscriber reached over HTTP: {@code PARLEY_KAFKA_BOOTSTRAP},
     * {@code PARLEY_MANIFESTS} (default {@code manifests/overlays/local}), {@code PARLEY_SUBSCRIBER_<SERVICE>} (a
     * URL; dashes become underscores), {@code PARLEY_OFFSET_RESET}, {@code PARLEY_SESSION_TIMEOUT_MS} (default
     * 10000), {@code PARLEY_METRICS_PORT} (default 8082), {@code PARLEY_INGRESS_PORT} (default 8083).
     */
    public static RuntimeSettings fromEnvironment(Map<String, String> env) {
        Map<String, URI> urls = new HashMap<>();
        env.forEach((key, value) -> {
            if (key.startsWith("PARLEY_SUBSCRIBER_")) {
                String service = key.substring("PARLEY_SUBSCRIBER_".length()).toLowerCase(Locale.ROOT).replace('_', '-');
                urls.put(service, URI.create(value));
            }
        });
        String bootstrap = env.get("PARLEY_KAFKA_BOOTSTRAP");
        if (bootstrap == null || bootstrap.isBlank()) {
            throw new IllegalArgumentException("PARLEY_KAFKA_BOOTSTRAP is required (host:port of the Kafka broker)");
        }
        return new RuntimeSettings(bootstrap, Path.of(env.getOrDefault("PARLEY_MANIFESTS", "manifests/overlays/local")),
                urls, InProcessFunctions.NONE,
                DispatchSettings.defaults().withAutoOffsetReset(env.getOrDefault("PARLEY_OFFSET_RESET", "latest"))
                        .withSessionTimeout(Duration.ofMillis(Long.parseLong(env.getOrDefault("PARLEY_SESSION_TIMEOUT_MS", "10000")))),
                HpaBehavior.kubernetesDefaults(), env.getOrDefault("PARLEY_METRICS_HOST", "127.0.0.1"),
                Integer.parseInt(env.getOrDefault("PARLEY_METRICS_PORT", "8082")),
                Integer.parseInt(env.getOrDefault("PARLEY_INGRESS_PORT", "8083")));
    }
}
