package im.parley.eventing.runtime.trigger;

import java.time.Duration;
import java.util.Map;

/**
 * Lag-based scaling of one Trigger, read from the Kafka Broker's KEDA annotations
 * ({@code autoscaling.eventing.knative.dev/*}). Missing values take KEDA's defaults. A Trigger without
 * {@code autoscaling.eventing.knative.dev/class: keda.autoscaling.knative.dev} is not autoscaled and runs one
 * replica.
 */
public record ScalingPolicy(boolean autoscaled, int minScale, int maxScale, Duration pollingInterval,
                            Duration cooldownPeriod, long lagThreshold, long activationLagThreshold) {

    public static final String PREFIX = "autoscaling.eventing.knative.dev/";
    public static final String KEDA_CLASS = "keda.autoscaling.knative.dev";

    public static final ScalingPolicy FIXED_ONE = new ScalingPolicy(false, 1, 1, Duration.ofSeconds(30),
            Duration.ofSeconds(300), 10, 0);

    public ScalingPolicy {
        if (minScale < 0 || maxScale < 1 || minScale > maxScale) {
            throw new IllegalArgumentException("need 0 <= min-scale <= max-scale and max-scale >= 1, got "
                    + minScale + ".." + maxScale);
        }
        if (lagThreshold < 1 || activationLagThreshold < 0) {
            throw new IllegalArgumentException("lag-threshold must be at least 1 and activation-lag-threshold at least 0");
        }
        if (pollingInterval.isZero() || pollingInterval.isNegative() || cooldownPeriod.isNegative()) {
            throw new IllegalArgumentException("polling-interval must be positive and cooldown-period not negative");
        }
    }

    public static ScalingPolicy fromAnnotations(Map<String, String> annotations) {
        Map<String, String> a = annotations == null ? Map.of() : annotations;
        String scalingClass = a.get(PREFIX + "class");
        if (scalingClass == null) {
            return FIXED_ONE;
        }
        if (!scalingClass.equals(KEDA_CLASS)) {
            throw new IllegalArgumentException(PREFIX + "class must be " + KEDA_CLASS + ", got " + scalingClass);
        }
        return new ScalingPolicy(true,
                (int) number(a, "min-scale", 0),
                (int) number(a, "max-scale", 50),
                Duration.ofSeconds(number(a, "polling-interval", 30)),
                Duration.ofSeconds(number(a, "cooldown-period", 300)),
                number(a, "lag-threshold", 10),
                number(a, "activation-lag-threshold", 0));
    }

    private static long number(Map<String, String> annotations, String key, long fallback) {
        String value = annotations.get(PREFIX + key);
        if (value == null) {
            return fallback;
        }
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(PREFIX + key + " must be a whole number, got '" + value + "'");
        }
    }
}
