package im.parley.eventing.runtime.dispatch;

import im.parley.eventing.Events;
import im.parley.eventing.PartitionKeys;
import im.parley.eventing.binding.KafkaBinding;
import im.parley.eventing.runtime.metrics.RuntimeMetrics.TriggerMeters;
import im.parley.eventing.runtime.subscriber.Subscriber;
import im.parley.eventing.runtime.subscriber.SubscriberResponse;
import im.parley.eventing.runtime.trigger.DeliveryPolicy;
import im.parley.eventing.runtime.trigger.TriggerDefinition;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One dispatcher replica of a Trigger: a member of the Trigger's consumer group that delivers what it is
 * assigned. Ordered Triggers have one event in flight per partition, the next starting once the previous is
 * done (retries and dead-lettering included); unordered ones up to {@link DispatchSettings#maxInFlight}.
 * Only contiguous finished offsets are committed, so a crash replays events but never skips one.
 */
public final class TriggerReplica {

    private static final Logger LOG = LoggerFactory.getLogger(TriggerReplica.class);
    static final int MAX_ERROR_DATA = 1024;

    private final TriggerDefinition trigger;
    private final Subscriber subscriber;
    private final Outbound outbound;
    private final TriggerMeters meters;
    private final ScheduledExecutorService timer;
    private final DispatchSettings settings;
    private final Map<String, Object> consumerConfig;
    private final String name;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition quiet = lock.newCondition();
    private final Map<TopicPartition, PartitionLane> lanes = new LinkedHashMap<>();
    private int inFlight;
    private final AtomicInteger pumpWork = new AtomicInteger();

    private volatile boolean running = true;
    private volatile boolean assigned;
    private volatile Set<TopicPartition> assignment = Set.of();
    private KafkaConsumer<String, byte[]> consumer;
    private Thread thread;

    public TriggerReplica(TriggerDefinition trigger, int index, String bootstrapServers, Subscriber subscriber,
                          Outbound outbound, TriggerMeters meters, ScheduledExecutorService timer, DispatchSettings settings) {
        this.trigger = trigger;
        this.subscriber = subscriber;
        this.outbound = outbound;
        this.meters = meters;
        this.timer = timer;
        this.settings = settings;
        this.name = trigger.name() + "-" + index;
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
        config.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, (int) settings.sessionTimeout().toMillis() / 3);
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

    private void run() {
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(consumerConfig, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            consumer = c;
            c.subscribe(List.of(trigger.topic()), new Rebalance());
            long nextCommit = System.nanoTime();
            try {
                while (running) {
                    takeIn(c.poll(settings.pollTimeout()));
                    pump();
                    pauseOrResume(c);
                    if (System.nanoTime() - nextCommit >= 0) {
                        commit(c, false);
                        nextCommit = System.nanoTime() + settings.commitInterval().toNanos();
                    }
                }
            } catch (WakeupException e) {
                if (running) {
                    throw e;
                }
            }
            awaitQuiet(lanesSnapshot(), settings.stopGrace());
            commit(c, true);
        } catch (RuntimeException e) {
            LOG.error("trigger replica {} stopped on an error; uncommitted events will be delivered again", name, e);
        }
    }

    private void takeIn(Iterable<ConsumerRecord<String, byte[]>> records) {
        lock.lock();
        try {
            for (ConsumerRecord<String, byte[]> record : records) {
                PartitionLane lane = lanes.get(new TopicPartition(record.topic(), record.partition()));
                if (lane != null) {
                    lane.takeIn(record);
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /** Starts what may start. Re-entrant calls (a delivery done at once) only ask the running loop to go again. */
    private void pump() {
        if (pumpWork.getAndIncrement() != 0) {
            return;
        }
        int work = 1;
        do {
            for (Start start : startable()) {
                start(start.lane(), start.record());
            }
            work = pumpWork.addAndGet(-work);
        } while (work != 0);
    }

    private record Start(PartitionLane lane, ConsumerRecord<String, byte[]> record) {
    }

    private List<Start> startable() {
        List<Start> starts = new ArrayList<>();
        lock.lock();
        try {
            if (!running) {
                return starts;
            }
            if (trigger.ordered()) {
                for (PartitionLane lane : lanes.values()) {
                    if (lane.inFlight == 0 && !lane.waiting.isEmpty()) {
                        starts.add(take(lane));
                    }
                }
            } else {
                boolean progress = true;
                while (progress && inFlight < settings.maxInFlight()) {
                    progress = false;
                    for (PartitionLane lane : lanes.values()) {
                        if (inFlight >= settings.maxInFlight()) {
                            break;
                        }
                        if (!lane.waiting.isEmpty()) {
                            starts.add(take(lane));
                            progress = true;
                        }
                    }
                }
            }
        } finally {
            lock.unlock();
        }
        return starts;
    }

    private Start take(PartitionLane lane) {
        lane.inFlight++;
        inFlight++;
        return new Start(lane, lane.waiting.poll());
    }

    private void start(PartitionLane lane, ConsumerRecord<String, byte[]> record) {
        if (otherType(record)) {
            meters.filtered();
            finish(lane, record.offset());
            return;
        }
        CloudEvent event;
        try {
            event = KafkaBinding.fromRecord(record);
        } catch (RuntimeException e) {
            new Delivery(lane, record, null).deadLetterRaw(e.getMessage());
            return;
        }
        if (!trigger.filter().matches(event)) {
            meters.filtered();
            finish(lane, record.offset());
            return;
        }
        new Delivery(lane, record, event).attempt(1);
    }

    /**
     * Every Trigger reads the whole broker topic, so most records are of types it does not take: a binary-mode
     * record whose {@code ce_type} header already rules it out is passed over without being decoded.
     */
    private boolean otherType(ConsumerRecord<String, byte[]> record) {
        String type = trigger.filter().requiredType();
        if (type == null) {
            return false;
        }
        Header header = record.headers().lastHeader("ce_type");
        return header != null && !type.equals(new String(header.value(), StandardCharsets.UTF_8));
    }

    private void finish(PartitionLane lane, long offset) {
        lock.lock();
        try {
            lane.inFlight--;
            inFlight--;
            lane.done(offset);
            quiet.signalAll();
        } finally {
            lock.unlock();
        }
        pump();
    }

    /**
     * A stopping replica gives an unfinished event up: no longer in flight, but its offset stays unfinished, so
     * it is not committed and the partition's next owner delivers it again.
     */
    private void abandon(PartitionLane lane) {
        lock.lock();
        try {
            lane.inFlight--;
            inFlight--;
            quiet.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void pauseOrResume(KafkaConsumer<String, byte[]> c) {
        List<TopicPartition> pause = new ArrayList<>();
        List<TopicPartition> resume = new ArrayList<>();
        lock.lock();
        try {
            for (PartitionLane lane : lanes.values()) {
                if (!lane.paused && lane.waiting.size() >= settings.maxWaiting()) {
                    lane.paused = true;
                    pause.add(lane.partition);
                } else if (lane.paused && lane.waiting.size() < settings.maxWaiting() / 2) {
                    lane.paused = false;
                    resume.add(lane.partition);
                }
            }
        } finally {
            lock.unlock();
        }
        if (!pause.isEmpty()) {
            c.pause(pause);
        }
        if (!resume.isEmpty()) {
            c.resume(resume);
        }
    }

    private void commit(KafkaConsumer<String, byte[]> c, boolean sync) {
        commit(c, sync, lanesSnapshot());
    }

    private void commit(KafkaConsumer<String, byte[]> c, boolean sync, Collection<PartitionLane> which) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        lock.lock();
        try {
            for (PartitionLane lane : which) {
                long offset = lane.committable();
                if (offset > lane.committed) {
                    offsets.put(lane.partition, new OffsetAndMetadata(offset));
                    lane.committed = offset;
                }
            }
        } finally {
            lock.unlock();
        }
        if (offsets.isEmpty()) {
            return;
        }
        if (sync) {
            try {
                commitSync(c, offsets);
            } catch (RebalanceInProgressException | CommitFailedException e) {
                // The partitions moved on before the commit landed: their next owner delivers these events again.
                LOG.info("trigger replica {}: offsets {} not committed ({}); they will be delivered again", name, offsets,
                        e.getClass().getSimpleName());
            }
        } else {
            c.commitAsync(offsets, (done, failure) -> {
                if (failure instanceof RebalanceInProgressException) {
                    // Expected while replicas are added or removed; the next commit after the rebalance covers it.
                    LOG.debug("trigger replica {}: commit deferred by a rebalance", name);
                } else if (failure != null) {
                    LOG.warn("trigger replica {}: commit failed, will retry: {}", name, failure.toString());
                    forgetCommitted(offsets.keySet());
                }
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

    private void forgetCommitted(Collection<TopicPartition> partitions) {
        lock.lock();
        try {
            partitions.forEach(p -> {
                PartitionLane lane = lanes.get(p);
                if (lane != null) {
                    lane.committed = -1;
                }
            });
        } finally {
            lock.unlock();
        }
    }

    private List<PartitionLane> lanesSnapshot() {
        lock.lock();
        try {
            return new ArrayList<>(lanes.values());
        } finally {
            lock.unlock();
        }
    }

    private void awaitQuiet(Collection<PartitionLane> which, Duration grace) {
        long deadline = System.nanoTime() + grace.toNanos();
        lock.lock();
        try {
            while (which.stream().anyMatch(l -> l.inFlight > 0)) {
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
                partitions.forEach(p -> lanes.put(p, new PartitionLane(p)));
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

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            List<PartitionLane> revoked = new ArrayList<>();
            lock.lock();
            try {
                for (TopicPartition p : partitions) {
                    PartitionLane lane = lanes.get(p);
                    if (lane != null) {
                        lane.dropWaiting();
                        revoked.add(lane);
                    }
                }
            } finally {
                lock.unlock();
            }
            awaitQuiet(revoked, settings.stopGrace());
            commit(consumer, true, revoked);
            lock.lock();
            try {
                partitions.forEach(lanes::remove);
            } finally {
                lock.unlock();
            }
            assignment = Set.copyOf(consumer.assignment());
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            lock.lock();
            try {
                partitions.forEach(lanes::remove);
            } finally {
                lock.unlock();
            }
        }
    }

    /** One event's way through its attempts, to a reply, the dead-letter sink, or the floor. */
    private final class Delivery {

        private final PartitionLane lane;
        private final ConsumerRecord<String, byte[]> record;
        private final CloudEvent event;
        private final long started = System.nanoTime();

        Delivery(PartitionLane lane, ConsumerRecord<String, byte[]> record, CloudEvent event) {
            this.lane = lane;
            this.record = record;
            this.event = event;
        }

        void attempt(int n) {
            if (!running) {
                abandon(lane);
                return;
            }
            Duration timeout = trigger.delivery().timeout() != null ? trigger.delivery().timeout() : settings.defaultTimeout();
            subscriber.deliver(event, timeout).whenComplete((response, failure) ->
                    answered(n, response != null ? response : SubscriberResponse.failed(String.valueOf(failure))));
        }

        private void answered(int n, SubscriberResponse response) {
            if (response.succeeded()) {
                if (response.reply() == null) {
                    succeeded();
                } else {
                    outbound.send(trigger.topic(), keyed(response.reply())).whenComplete((ok, failure) -> {
                        if (failure == null) {
                            succeeded();
                        } else {
                            retryOrDeadLetter(n, SubscriberResponse.failed("reply not produced: " + failure));
                        }
                    });
                }
            } else if (response.status() == SubscriberResponse.NO_RESPONSE || DeliveryPolicy.retryable(response.status())) {
                retryOrDeadLetter(n, response);
            } else {
                deadLetter(response);
            }
        }

        /** A reply keeps its own partition key; one without gets the key of the event it answers. */
        private CloudEvent keyed(CloudEvent reply) {
            if (Events.partitionKey(reply) != null || Events.partitionKey(event) == null) {
                return reply;
            }
            return CloudEventBuilder.v1(reply).withExtension(PartitionKeys.EXTENSION, Events.partitionKey(event)).build();
        }

        private void retryOrDeadLetter(int n, SubscriberResponse response) {
            if (!running) {
                abandon(lane);
            } else if (n < trigger.delivery().attempts()) {
                meters.retried();
                timer.schedule(() -> attempt(n + 1), trigger.delivery().delayBeforeRetry(n).toNanos(), TimeUnit.NANOSECONDS);
            } else {
                deadLetter(response);
            }
        }

        private void succeeded() {
            meters.succeeded(started);
            finish(lane, record.offset());
        }

        private void deadLetter(SubscriberResponse response) {
            String topic = trigger.delivery().deadLetterTopic();
            if (topic == null) {
                LOG.warn("trigger {}: event {} failed with status {} and there is no dead-letter sink; it is lost",
                        trigger.name(), event.getId(), response.status());
                meters.dropped();
                finish(lane, record.offset());
                return;
            }
            CloudEventBuilder failed = CloudEventBuilder.v1(event)
                    .withExtension("knativeerrordest", trigger.subscriberAddress());
            if (response.status() != SubscriberResponse.NO_RESPONSE) {
                failed.withExtension("knativeerrorcode", Integer.toString(response.status()));
            }
            if (response.body() != null && response.body().length > 0) {
                byte[] data = Arrays.copyOf(response.body(), Math.min(response.body().length, MAX_ERROR_DATA));
                failed.withExtension("knativeerrordata", Base64.getEncoder().encodeToString(data));
            }
            produceDeadLetter(() -> outbound.send(topic, failed.build()));
        }

        void deadLetterRaw(String reason) {
            String topic = trigger.delivery().deadLetterTopic();
            LOG.warn("trigger {}: {}", trigger.name(), reason);
            if (topic == null) {
                meters.dropped();
                finish(lane, record.offset());
                return;
            }
            produceDeadLetter(() -> outbound.send(new ProducerRecord<>(topic, null, record.key(), record.value(),
                    record.headers())));
        }

        /** The event is done only once the dead-letter sink has it; until then it is retried, never dropped. */
        private void produceDeadLetter(Supplier<CompletableFuture<Void>> send) {
            send.get().whenComplete((ok, failure) -> {
                if (failure == null) {
                    meters.deadLettered();
                    finish(lane, record.offset());
                } else if (running) {
                    LOG.warn("trigger {}: dead-letter sink unavailable, retrying: {}", trigger.name(), failure.toString());
                    timer.schedule(() -> produceDeadLetter(send), 1, TimeUnit.SECONDS);
                } else {
                    abandon(lane);
                }
            });
        }
    }
}
