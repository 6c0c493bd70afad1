package im.parley.eventing.runtime.scaling;

import im.parley.eventing.runtime.metrics.RuntimeMetrics.TriggerMeters;
import im.parley.eventing.runtime.trigger.ScalingPolicy;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Reads one Trigger's lag every polling interval and scales it as {@link TriggerScaler} says. */
public final class Autoscaler implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Autoscaler.class);

    private final TriggerDeployment deployment;
    private final LagReader lag;
    private final TriggerMeters meters;
    private final TriggerScaler scaler;
    private final ScheduledFuture<?> task;

    /** With {@code behavior} null it only reports the lag, as for a Trigger whose function is not here. */
    public Autoscaler(TriggerDeployment deployment, LagReader lag, TriggerMeters meters, ScheduledExecutorService scheduler,
                      HpaBehavior behavior) {
        this.deployment = deployment;
        this.lag = lag;
        this.meters = meters;
        ScalingPolicy policy = deployment.trigger().scaling();
        boolean scales = behavior != null && policy.autoscaled();
        this.scaler = scales ? new TriggerScaler(policy, behavior, System.nanoTime()) : null;
        long period = scales ? policy.pollingInterval().toMillis() : Math.min(5000, policy.pollingInterval().toMillis());
        this.task = scheduler.scheduleWithFixedDelay(this::tick, 0, period, TimeUnit.MILLISECONDS);
    }

    private void tick() {
        try {
            LagReader.Lag now = lag.read(deployment.trigger().consumerGroup(), deployment.trigger().topic());
            meters.lag(now.total());
            if (scaler == null) {
                return;
            }
            int current = deployment.replicas();
            int next = scaler.next(System.nanoTime(), current, now.total());
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
