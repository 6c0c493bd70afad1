package im.parley.tuning;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How Knative Serving sizes the pods of the Service behind a Trigger: the KPA's settings, from the Service's
 * revision template (annotations and {@code containerConcurrency}) over Knative's defaults ({@code config-autoscaler},
 * which this project leaves as shipped).
 *
 * @param containerConcurrency requests one pod takes at once; more wait in the activator (0: no limit)
 * @param target               the concurrency per pod the KPA aims at ({@code autoscaling.knative.dev/target})
 * @param utilization          the share of the target it fills before adding pods (target-utilization-percentage)
 * @param stableWindow         the window its stable average covers ({@code autoscaling.knative.dev/window})
 * @param panicWindowPercent   the panic window, as a share of the stable window
 * @param panicThreshold       panic when the panic window asks for this many times the ready pods
 * @param minScale             pods kept at all times
 * @param maxScale             pods at most (0: no limit)
 * @param scaleDownDelay       a decision to go down holds only if it held this long
 * @param scaleToZeroGrace     the last pod outlives the decision to go to zero by this much
 * @param coldStart            from a pod being asked for to its first request (scheduling, image, JVM, readiness)
 */
public record PodScaling(int containerConcurrency, double target, double utilization, Duration stableWindow,
                         double panicWindowPercent, double panicThreshold, int minScale, int maxScale,
                         Duration scaleDownDelay, Duration scaleToZeroGrace, Duration coldStart) {

    static final String PREFIX = "autoscaling.knative.dev/";
    private static final Pattern GO_DURATION = Pattern.compile("(?:(\\d+)h)?(?:(\\d+)m)?(?:(\\d+(?:\\.\\d+)?)s)?");

    public PodScaling {
        if (target <= 0 || utilization <= 0 || stableWindow.toSeconds() < 1 || minScale < 0 || maxScale < 0) {
            throw new IllegalArgumentException("pod scaling needs a positive target and window, got " + target + ", "
                    + stableWindow);
        }
    }

    /** A Service with no annotations: Knative's defaults. */
    public static PodScaling knativeDefaults(Duration coldStart) {
        return new PodScaling(0, 100, 0.7, Duration.ofSeconds(60), 10, 2.0, 0, 0, Duration.ZERO, Duration.ofSeconds(30),
                coldStart);
    }

    /** A Knative Service's settings, from its revision template; what it leaves out takes Knative's defaults. */
    public static PodScaling fromService(JsonNode service, Duration coldStart) {
        JsonNode template = service.path("spec").path("template");
        JsonNode a = template.path("metadata").path("annotations");
        int concurrency = template.path("spec").path("containerConcurrency").asInt(0);
        PodScaling d = knativeDefaults(coldStart);
        // With a hard limit and no target, the KPA aims at the limit.
        double target = a.has(PREFIX + "target") ? a.get(PREFIX + "target").asDouble()
                : concurrency > 0 ? concurrency : d.target();
        return new PodScaling(concurrency, target,
                a.has(PREFIX + "target-utilization-percentage")
                        ? a.get(PREFIX + "target-utilization-percentage").asDouble() / 100 : d.utilization(),
                duration(a, "window", d.stableWindow()),
                a.path(PREFIX + "panic-window-percentage").asDouble(d.panicWindowPercent()),
                a.has(PREFIX + "panic-threshold-percentage")
                        ? a.get(PREFIX + "panic-threshold-percentage").asDouble() / 100 : d.panicThreshold(),
                a.path(PREFIX + "min-scale").asInt(d.minScale()), a.path(PREFIX + "max-scale").asInt(d.maxScale()),
                duration(a, "scale-down-delay", d.scaleDownDelay()), d.scaleToZeroGrace(), coldStart);
    }

    public PodScaling withMinScale(int pods) {
        return new PodScaling(containerConcurrency, target, utilization, stableWindow, panicWindowPercent, panicThreshold,
                pods, maxScale, scaleDownDelay, scaleToZeroGrace, coldStart);
    }

    /** The concurrency one pod is sized for. */
    double perPod() {
        double aim = containerConcurrency > 0 ? Math.min(target, containerConcurrency) : target;
        return aim * utilization;
    }

    Duration panicWindow() {
        return Duration.ofMillis(Math.max(1000, (long) (stableWindow.toMillis() * panicWindowPercent / 100)));
    }

    public String describe() {
        return String.format(Locale.ROOT, "pods %d..%s, target %.0f at %.0f %%, limit %s, window %d s, scale-down delay %d s",
                minScale, maxScale == 0 ? "∞" : maxScale, target, utilization * 100,
                containerConcurrency == 0 ? "none" : containerConcurrency, stableWindow.toSeconds(),
                scaleDownDelay.toSeconds());
    }

    /** Knative's durations: Go's form as the annotations use it ("60s", "5m", "1m30s"). */
    static Duration duration(JsonNode annotations, String name, Duration otherwise) {
        JsonNode v = annotations.get(PREFIX + name);
        if (v == null) {
            return otherwise;
        }
        String text = v.asText().trim();
        Matcher m = GO_DURATION.matcher(text);
        if (text.isEmpty() || !m.matches()) {
            throw new IllegalArgumentException(PREFIX + name + ": not a duration such as 60s or 5m: " + text);
        }
        double seconds = (m.group(1) == null ? 0 : 3600.0 * Long.parseLong(m.group(1)))
                + (m.group(2) == null ? 0 : 60.0 * Long.parseLong(m.group(2)))
                + (m.group(3) == null ? 0 : Double.parseDouble(m.group(3)));
        return Duration.ofMillis((long) (seconds * 1000));
    }
}
