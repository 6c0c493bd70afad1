package im.parley.eventing.runtime.scaling;

import im.parley.eventing.runtime.metrics.RuntimeMetrics.TriggerMeters;
import im.parley.eventing.runtime.trigger.ScalingPolicy;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scales one Trigger every polling interval by {@link KedaFormula}. One loop makes both the 0↔1 decision
 * (KEDA's) and the 1↔N one (the HPA's); in a cluster the HPA makes the latter on its own 15 s period.
 */
public final class Autoscaler implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Autoscaler.class);

    private final TriggerDeployment deployment;
    private final LagReader lag;
    private final TriggerMeters meters;
    private final boolean scales;
    private final ScheduledFuture<?> task;
    private long lastActive = System.nanoTime();

    /** With {@code scales} false it only reports the lag, as for a Trigger whose function is not here. */
    public Autoscaler(TriggerDeployment deployment, LagReader lag, TriggerMeters meters, ScheduledExecutorService scheduler,
                      boolean scales) {
        this.deployment = deployment;
        this.lag = lag;
        this.meters = meters;
        ScalingPolicy policy = deployment.trigger().scaling();
        this.scales = scales && policy.autoscaled();
        long period = this.scales ? policy.pollingInterval().toMillis() : Math.min(5000, policy.pollingInterval().toMillis());
        this.task = scheduler.scheduleWithFixedDelay(this::tick, 0, period, TimeUnit.MILLISECONDS);
    }

    private void tick() {
        ScalingPolicy policy = deployment.trigger().scaling();
        try {
            LagReader.Lag now = lag.read(deployment.trigger().consumerGroup(), deployment.trigger().topic());
            meters.lag(now.total());
            if (!scales) {
                return;
            }
            if (KedaFormula.active(now.total(), policy)) {
                lastActive = System.nanoTime();
            }
            int current = deployment.replicas();
            int next = KedaFormula.replicas(current, now.total(), now.partitions(), policy,
                    Duration.ofNanos(System.nanoTime() - lastActive));
            if (next != current) {
                LOG.info("trigger {}: lag {} -> {} replica(s), was {}", deployment.trigger().name(), now.total(), next, current);
                deployment.scaleTo(next);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.warn("trigger {}: cannot read lag: {}", deployment.trigger().name(), e.toString());
        }
    }

    @Override
    public void close() {
        task.cancel(false);
    }
}
