package im.parley.eventing.runtime.trigger;

import java.time.Duration;
import java.util.Map;

/**
 * Lag-based scaling of one Trigger, read from the Kafka Broker's KEDA annotations
 * ({@code autoscaling.eventing.knative.dev/*}) as its consumer-group controller reads them, with
 * {@code controller-autoscaler-keda} enabled (the deployment turns it on):
 * <ul>
 *   <li>every Trigger is scaled by KEDA unless its class is {@code disabled}; it then runs one replica;</li>
 *   <li>a missing key takes the default Knative writes into the ScaledObject (its {@code config-kafka-autoscaler}):
 *       min 0, max 50, polling 10 s, cooldown 30 s, lag threshold 100;</li>
 *   <li>{@code activation-lag-threshold} is copied to the consumer group but never into KEDA's trigger, so KEDA's
 *       own default, 0, always applies.</li>
 * </ul>
 */
public record ScalingPolicy(boolean autoscaled, int minScale, int maxScale, Duration pollingInterval,
                            Duration cooldownPeriod, long lagThreshold, long activationLagThreshold) {

    public static final String PREFIX = "autoscaling.eventing.knative.dev/";
    public static final String KEDA_CLASS = "keda.autoscaling.knative.dev";
    public static final String DISABLED = "disabled";
    public static final int DEFAULT_MIN_SCALE = 0;
    public static final int DEFAULT_MAX_SCALE = 50;
    public static final Duration DEFAULT_POLLING_INTERVAL = Duration.ofSeconds(10);
    public static final Duration DEFAULT_COOLDOWN_PERIOD = Duration.ofSeconds(30);
    public static final long DEFAULT_LAG_THRESHOLD = 100;
    /** KEDA's Kafka scaler default; Knative does not pass the annotation on. */
    public static final long ACTIVATION_LAG_THRESHOLD = 0;

    public static final ScalingPolicy FIXED_ONE = new ScalingPolicy(false, 1, 1, DEFAULT_POLLING_INTERVAL,
            DEFAULT_COOLDOWN_PERIOD, DEFAULT_LAG_THRESHOLD, ACTIVATION_LAG_THRESHOLD);

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
        String scalingClass = a.getOrDefault(PREFIX + "class", "");
        if (scalingClass.equals(DISABLED)) {
            return FIXED_ONE;
        }
        if (!scalingClass.isEmpty() && !scalingClass.equals(KEDA_CLASS)) {
            // Knative would silently leave such a Trigger unscaled; a typo should not pass unnoticed here.
            throw new IllegalArgumentException(PREFIX + "class must be " + KEDA_CLASS + " or " + DISABLED + ", got "
                    + scalingClass);
        }
        return new ScalingPolicy(true,
                (int) number(a, "min-scale", DEFAULT_MIN_SCALE),
                (int) number(a, "max-scale", DEFAULT_MAX_SCALE),
                Duration.ofSeconds(number(a, "polling-interval", DEFAULT_POLLING_INTERVAL.toSeconds())),
                Duration.ofSeconds(number(a, "cooldown-period", DEFAULT_COOLDOWN_PERIOD.toSeconds())),
                number(a, "lag-threshold", DEFAULT_LAG_THRESHOLD),
                ACTIVATION_LAG_THRESHOLD);
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
