package im.parley.eventing.runtime.consumer;

import im.parley.eventing.runtime.dispatch.DispatchSettings;
import im.parley.eventing.runtime.dispatch.Dispatcher;
import im.parley.eventing.runtime.trigger.TriggerDefinition;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One dispatcher replica of a Trigger: a member of the Trigger's consumer group, polling on its own thread. What it
 * is assigned goes into {@link Lanes} (which decide, by the Trigger's delivery order, what may start), each started
 * record to the {@link Dispatcher}, and each outcome to the {@link OffsetTracker}, whose contiguous commit points
 * are committed on a timer and when partitions are revoked.
 */
public final class TriggerReplica {

    private static final Logger LOG = LoggerFactory.getLogger(TriggerReplica.class);
    static final Duration RESTART_BACKOFF = Duration.ofMillis(500);
    static final Duration MAX_RESTART_BACKOFF = Duration.ofSeconds(30);

    private final TriggerDefinition trigger;
    private final DispatchSettings settings;
    private final Map<String, Object> consumerConfig;
    private final String name;
    private final Dispatcher dispatcher;
    private final Runnable onRestart;
    private final OffsetTracker offsets = new OffsetTracker();
    private final Outcomes outcomes = new Outcomes();

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition quiet = lock.newCondition();
    private final Lanes lanes;
    private final AtomicInteger pumpWork = new AtomicInteger();
    private final AtomicReference<RuntimeException> failure = new AtomicReference<>();

    private volatile boolean running = true;
    private volatile boolean assigned;
    private volatile Set<TopicPartition> assignment = Set.of();
    private final Set<TopicPartition> held = ConcurrentHashMap.newKeySet();
    private KafkaConsumer<String, byte[]> consumer;
    private Thread thread;

    /**
     * @param dispatcher built with this replica as the {@link Dispatcher.Owner} of its records
     * @param onRestart  told each time a failed session is replaced
     */
    public TriggerReplica(TriggerDefinition trigger, int index, String bootstrapServers, DispatchSettings settings,
                          Function<Dispatcher.Owner, Dispatcher> dispatcher, Runnable onRestart) {
        this.trigger = trigger;
        this.settings = settings;
        this.name = trigger.name() + "-" + index;
        this.lanes = Lanes.of(trigger.ordered(), settings.maxInFlight());
        this.dispatcher = dispatcher.apply(new Dispatcher.Owner() {
            @Override
            public boolean running() {
                return running;
            }

            @Override
            public boolean holds(ConsumerRecord<String, byte[]> record) {
                return held.contains(new TopicPartition(record.topic(), record.partition()));
            }
        });
        this.onRestart = onRestart;
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ConsumerConfig.GROUP_ID_CONFIG, trigger.consumerGroup());
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, name);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, settings.autoOffsetReset());
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, settings.maxInFlight());
        config.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName());
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, (int) settings.sessionTimeout().toMillis());
        // Short, so that a scale-up does not leave moved partitions without an owner for seconds (DispatchSettings).
        config.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG,
                (int) Math.min(settings.heartbeat().toMillis(), settings.sessionTimeout().toMillis() / 3));
        this.consumerConfig = config;
    }

    public void start() {
        thread = new Thread(this::run, "trigger-" + name);
        thread.start();
    }

    /** True once the group has given this replica its first assignment (possibly empty). */
    public boolean assigned() {
        return assigned;
    }

    public Set<TopicPartition> assignment() {
        return assignment;
    }

    /** Stops taking events, waits up to the grace for those in flight, commits what is done and leaves the group. */
    public void stop() {
        running = false;
        KafkaConsumer<String, byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        try {
            thread.join(settings.stopGrace().plusSeconds(30).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Sessions until stopped. A session that fails (a commit timing out through a Kafka outage, a bug) waits for
     * its events in flight, leaves the group and joins again after a backoff: what it had not committed is
     * delivered again, and the Trigger keeps its replica.
     */
    private void run() {
        Duration backoff = RESTART_BACKOFF;
        while (running) {
            long started = System.nanoTime();
            try {
                session();
                return;
            } catch (RuntimeException e) {
                if (!running) {
                    return;
                }
                if (System.nanoTime() - started > MAX_RESTART_BACKOFF.toNanos()) {
                    backoff = RESTART_BACKOFF; // a session that lasted is not a crash loop
                }
                LOG.error("trigger replica {} failed; it joins its group again in {} ms, and events not committed are"
                        + " delivered again", name, backoff.toMillis(), e);
                onRestart.run();
                sleep(backoff);
                backoff = backoff.multipliedBy(2).compareTo(MAX_RESTART_BACKOFF) > 0 ? MAX_RESTART_BACKOFF : backoff.multipliedBy(2);
            }
        }
    }

    private void session() {
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(consumerConfig, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            consumer = c;
            c.subscribe(List.of(trigger.topic()), new Rebalance());
            long nextCommit = System.nanoTime();
            try {
                while (running) {
                    takeIn(c.poll(settings.pollTimeout()));
                    pump();
                    RuntimeException failed = failure.getAndSet(null);
                    if (failed != null) {
                        throw failed;
                    }
                    flow(c);
                    if (System.nanoTime() - nextCommit >= 0) {
                        commit(c, offsets.toCommit(), false);
                        nextCommit = System.nanoTime() + settings.commitInterval().toNanos();
                    }
                }
            } catch (RuntimeException e) {
                if (!(e instanceof WakeupException) || running) {
                    // Nothing of this session may still be running once another replica owns its partitions.
                    awaitQuiet(assignment, settings.stopGrace());
                    release(assignment);
                    assignment = Set.of();
                    throw e;
                }
            }
            awaitQuiet(assignment, settings.stopGrace());
            commit(c, offsets.toCommit(), true);
            held.clear(); // what is still in flight is the next owner's
        }
    }

    private void sleep(Duration backoff) {
        long until = System.nanoTime() + backoff.toNanos();
        try {
            while (running && System.nanoTime() < until) {
                Thread.sleep(Math.min(100, Math.max(1, (until - System.nanoTime()) / 1_000_000)));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void takeIn(Iterable<ConsumerRecord<String, byte[]>> records) {
        lock.lock();
        try {
            for (ConsumerRecord<String, byte[]> record : records) {
                offsets.received(new TopicPartition(record.topic(), record.partition()), record.offset());
                lanes.add(record);
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Starts what may start. Re-entrant calls (a delivery done at once) only ask the running loop to go again. A
     * dispatch that throws fails the session (on its own thread, whichever thread found it): that record and the
     * rest of its batch are given up, to be delivered again.
     */
    private void pump() {
        if (pumpWork.getAndIncrement() != 0) {
            return;
        }
        int work = 1;
        do {
            List<ConsumerRecord<String, byte[]>> starts;
            lock.lock();
            try {
                starts = running && failure.get() == null ? lanes.startable() : List.of();
            } finally {
                lock.unlock();
            }
            for (int i = 0; i < starts.size(); i++) {
                try {
                    dispatcher.dispatch(starts.get(i), outcomes);
                } catch (RuntimeException e) {
                    failure.compareAndSet(null, e);
                    starts.subList(i, starts.size()).forEach(outcomes::abandoned);
                    break;
                }
            }
            work = pumpWork.addAndGet(-work);
        } while (work != 0);
    }

    private final class Outcomes implements Dispatcher.Listener {

        @Override
        public void done(ConsumerRecord<String, byte[]> record) {
            TopicPartition partition = new TopicPartition(record.topic(), record.partition());
            offsets.done(partition, record.offset());
            finished(partition);
            pump();
        }

        /** Given up unfinished: no longer in flight, but its offset stays unfinished so the next owner gets it again. */
        @Override
        public void abandoned(ConsumerRecord<String, byte[]> record) {
            finished(new TopicPartition(record.topic(), record.partition()));
        }

        private void finished(TopicPartition partition) {
            lock.lock();
            try {
                lanes.finished(partition);
                quiet.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

    private void flow(KafkaConsumer<String, byte[]> c) {
        Lanes.Flow flow;
        lock.lock();
        try {
            flow = lanes.flow(settings.maxWaiting());
        } finally {
            lock.unlock();
        }
        if (!flow.pause().isEmpty()) {
            c.pause(flow.pause());
        }
        if (!flow.resume().isEmpty()) {
            c.resume(flow.resume());
        }
    }

    private void commit(KafkaConsumer<String, byte[]> c, Map<TopicPartition, Long> points, boolean sync) {
        if (points.isEmpty()) {
            return;
        }
        Map<TopicPartition, OffsetAndMetadata> commits = new HashMap<>();
        points.forEach((partition, offset) -> commits.put(partition, new OffsetAndMetadata(offset)));
        if (sync) {
            try {
                commitSync(c, commits);
            } catch (RebalanceInProgressException | CommitFailedException e) {
                // The partitions moved on before the commit landed: their next owner delivers these events again.
                LOG.info("trigger replica {}: offsets {} not committed ({}); they will be delivered again", name, commits,
                        e.getClass().getSimpleName());
            }
        } else {
            c.commitAsync(commits, (done, failure) -> {
                if (failure == null) {
                    return;
                }
                if (failure instanceof RebalanceInProgressException) {
                    // Expected while replicas are added or removed.
                    LOG.debug("trigger replica {}: commit deferred by a rebalance", name);
                } else {
                    LOG.warn("trigger replica {}: commit failed, will retry: {}", name, failure.toString());
                }
                // Offered again even if nothing new arrives: an idle partition would otherwise keep its lag for good.
                offsets.commitFailed(commits.keySet());
            });
        }
    }

    /** A stop's wakeup can land after the poll loop, on this commit; it fires once, so the commit is tried again. */
    private static void commitSync(KafkaConsumer<String, byte[]> c, Map<TopicPartition, OffsetAndMetadata> offsets) {
        try {
            c.commitSync(offsets);
        } catch (WakeupException e) {
            c.commitSync(offsets);
        }
    }

    private void awaitQuiet(Collection<TopicPartition> which, Duration grace) {
        long deadline = System.nanoTime() + grace.toNanos();
        lock.lock();
        try {
            while (which.stream().anyMatch(p -> lanes.inFlight(p) > 0)) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    LOG.warn("trigger replica {}: events still in flight after {}; they will be delivered again", name, grace);
                    return;
                }
                quiet.awaitNanos(left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            lock.unlock();
        }
    }

    private final class Rebalance implements ConsumerRebalanceListener {

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            lock.lock();
            try {
                partitions.forEach(p -> {
                    lanes.assigned(p);
                    offsets.assigned(p);
                    held.add(p);
                });
            } finally {
                lock.unlock();
            }
            anchor(partitions);
            assignment = Set.copyOf(consumer.assignment());
            assigned = true;
        }

        /**
         * A new group starts at the log end; committing that position at once keeps events produced while
         * the Trigger is scaled to zero, and gives the lag a defined base.
         */
        private void anchor(Collection<TopicPartition> partitions) {
            if (partitions.isEmpty()) {
                return;
            }
            Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(Set.copyOf(partitions));
            Map<TopicPartition, OffsetAndMetadata> start = new HashMap<>();
            for (TopicPartition p : partitions) {
                if (committed.get(p) == null) {
                    start.put(p, new OffsetAndMetadata(consumer.position(p)));
                }
            }
            if (!start.isEmpty()) {
                consumer.commitSync(start);
            }
        }

        /** Waits for the revoked partitions' events in flight, then commits them, as Knative does on revoke. */
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            lock.lock();
            try {
                for (TopicPartition p : partitions) {
                    long firstWaiting = lanes.dropWaiting(p);
                    if (firstWaiting >= 0) {
                        offsets.forgetFrom(p, firstWaiting);
                    }
                }
            } finally {
                lock.unlock();
            }
            awaitQuiet(partitions, settings.stopGrace());
            commit(consumer, offsets.toCommit(partitions), true);
            release(partitions);
            assignment = Set.copyOf(consumer.assignment());
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            release(partitions);
        }
    }

    private void release(Collection<TopicPartition> partitions) {
        lock.lock();
        try {
            partitions.forEach(p -> {
                held.remove(p);
                lanes.revoked(p);
                offsets.revoked(p);
            });
        } finally {
            lock.unlock();
        }
    }
}
