package im.parley.eventing.runtime;

import im.parley.eventing.runtime.dispatch.DispatchSettings;
import im.parley.functions.hosting.FunctionDescriptor;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What the local runtime runs.
 *
 * @param manifests      the Kustomize root whose Triggers, Brokers and sinks are run
 * @param subscriberUrls Knative Services reached over HTTP, by service name; they win over in-process functions
 * @param functions      functions hosted in-process, by service name
 * @param functionProperties Spring properties passed to in-process functions
 * @param metricsPort    port of {@code /metrics} and health, 0 for any, -1 for none
 */
public record RuntimeSettings(String bootstrapServers, Path manifests, Map<String, URI> subscriberUrls,
                              List<FunctionDescriptor> functions, Map<String, Object> functionProperties,
                              DispatchSettings dispatch, String metricsHost, int metricsPort) {

    public RuntimeSettings {
        subscriberUrls = Map.copyOf(subscriberUrls);
        functions = List.copyOf(functions);
        functionProperties = Map.copyOf(functionProperties);
    }

    public RuntimeSettings withDispatch(DispatchSettings dispatch) {
        return new RuntimeSettings(bootstrapServers, manifests, subscriberUrls, functions, functionProperties, dispatch,
                metricsHost, metricsPort);
    }

    /**
     * From the environment: {@code PARLEY_KAFKA_BOOTSTRAP}, {@code PARLEY_MANIFESTS} (default
     * {@code manifests/overlays/local}), {@code PARLEY_SUBSCRIBER_<SERVICE>} (a URL; dashes become
     * underscores), {@code PARLEY_OFFSET_RESET}, {@code PARLEY_SESSION_TIMEOUT_MS} (default 10000), {@code PARLEY_METRICS_PORT} (default 8082). Every function
     * module on the class path is hosted in-process.
     */
    public static RuntimeSettings fromEnvironment(Map<String, String> env) {
        Map<String, URI> urls = new HashMap<>();
        List<FunctionDescriptor> functions = FunctionDescriptor.discover(RuntimeSettings.class.getClassLoader());
        env.forEach((key, value) -> {
            if (key.startsWith("PARLEY_SUBSCRIBER_")) {
                String service = key.substring("PARLEY_SUBSCRIBER_".length()).toLowerCase(Locale.ROOT).replace('_', '-');
                urls.put(service, URI.create(value));
            }
        });
        Map<String, Object> properties = new HashMap<>();
        env.forEach((key, value) -> {
            if (key.startsWith("PARLEY_") && !key.startsWith("PARLEY_SUBSCRIBER_")) {
                properties.put(key, value);
            }
        });
        String bootstrap = env.get("PARLEY_KAFKA_BOOTSTRAP");
        if (bootstrap == null || bootstrap.isBlank()) {
            throw new IllegalArgumentException("PARLEY_KAFKA_BOOTSTRAP is required (host:port of the Kafka broker)");
        }
        return new RuntimeSettings(bootstrap, Path.of(env.getOrDefault("PARLEY_MANIFESTS", "manifests/overlays/local")),
                urls, functions, properties,
                DispatchSettings.defaults().withAutoOffsetReset(env.getOrDefault("PARLEY_OFFSET_RESET", "latest"))
                        .withSessionTimeout(Duration.ofMillis(Long.parseLong(env.getOrDefault("PARLEY_SESSION_TIMEOUT_MS", "10000")))),
                env.getOrDefault("PARLEY_METRICS_HOST", "127.0.0.1"),
                Integer.parseInt(env.getOrDefault("PARLEY_METRICS_PORT", "8082")));
    }
}
