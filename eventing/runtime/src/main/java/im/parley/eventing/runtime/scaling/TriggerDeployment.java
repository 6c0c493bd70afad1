package im.parley.eventing.runtime.scaling;

import im.parley.eventing.runtime.consumer.TriggerReplica;
import im.parley.eventing.runtime.dispatch.DispatchSettings;
import im.parley.eventing.runtime.dispatch.Dispatcher;
import im.parley.eventing.runtime.dispatch.Outbound;
import im.parley.eventing.runtime.metrics.RuntimeMetrics.TriggerMeters;
import im.parley.eventing.runtime.subscriber.SubscriberSource;
import im.parley.eventing.runtime.trigger.TriggerDefinition;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;

/** The running replicas of one Trigger; what KEDA scales. */
public final class TriggerDeployment {

    private final TriggerDefinition trigger;
    private final String bootstrapServers;
    private final SubscriberSource subscribers;
    private final Outbound outbound;
    private final TriggerMeters meters;
    private final ScheduledExecutorService timer;
    private final DispatchSettings settings;
    private final List<TriggerReplica> replicas = new ArrayList<>();
    private int started;

    public TriggerDeployment(TriggerDefinition trigger, String bootstrapServers, SubscriberSource subscribers,
                             Outbound outbound, TriggerMeters meters, ScheduledExecutorService timer, DispatchSettings settings) {
        this.trigger = trigger;
        this.bootstrapServers = bootstrapServers;
        this.subscribers = subscribers;
        this.outbound = outbound;
        this.meters = meters;
        this.timer = timer;
        this.settings = settings;
    }

    public TriggerDefinition trigger() {
        return trigger;
    }

    public synchronized int replicas() {
        return replicas.size();
    }

    /** True when every replica has joined the group and received its partitions. */
    public synchronized boolean ready() {
        return replicas.stream().allMatch(TriggerReplica::assigned);
    }

    public synchronized void scaleTo(int target) {
        while (replicas.size() < target) {
            var subscriber = subscribers.acquire();
            TriggerReplica replica = new TriggerReplica(trigger, started++, bootstrapServers, settings,
                    running -> new Dispatcher(trigger, subscriber, outbound, meters, timer, settings, running),
                    meters::replicaRestarted);
            replicas.add(replica);
            replica.start();
        }
        while (replicas.size() > target) {
            TriggerReplica replica = replicas.remove(replicas.size() - 1);
            replica.stop();
            subscribers.release();
        }
        meters.replicas(replicas.size());
    }
}
