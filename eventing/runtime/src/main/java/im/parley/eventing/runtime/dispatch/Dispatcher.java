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
import java.util.Arrays;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One event's way, as Knative's {@code RecordDispatcherImpl} takes it: the Trigger's filter, then attempts at the
 * subscriber with the Trigger's timeout, retries and backoff, then its reply produced to the broker topic, or the
 * event sent to the dead-letter sink, or (with no sink) dropped. The outcome goes to a {@link Listener}.
 */
public final class Dispatcher {

    private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);
    static final int MAX_ERROR_DATA = 1024;

    /** Told how each record ended. */
    public interface Listener {

        /** Handled for good (delivered, dead-lettered, filtered out or dropped): its offset may be committed. */
        void done(ConsumerRecord<String, byte[]> record);

        /** Given up unfinished because the replica is stopping: its offset must not be committed. */
        void abandoned(ConsumerRecord<String, byte[]> record);
    }

    private final TriggerDefinition trigger;
    private final Subscriber subscriber;
    private final Outbound outbound;
    private final TriggerMeters meters;
    private final ScheduledExecutorService timer;
    private final Duration timeout;
    private final Owner owner;

    /** The replica whose records these are. */
    public interface Owner {

        /** False once the replica stops: attempts not yet made are abandoned. */
        boolean running();

        /**
         * False once the record's partition is another replica's (revoked past the grace, lost, or the replica
         * gone): an answer that comes back then is not produced, since the new owner delivers the event again.
         */
        boolean holds(ConsumerRecord<String, byte[]> record);
    }

    public Dispatcher(TriggerDefinition trigger, Subscriber subscriber, Outbound outbound, TriggerMeters meters,
                      ScheduledExecutorService timer, DispatchSettings settings, Owner owner) {
        this.trigger = trigger;
        this.subscriber = subscriber;
        this.outbound = outbound;
        this.meters = meters;
        this.timer = timer;
        this.timeout = trigger.delivery().timeout() != null ? trigger.delivery().timeout() : settings.defaultTimeout();
        this.owner = owner;
    }

    public void dispatch(ConsumerRecord<String, byte[]> record, Listener listener) {
        if (otherType(record)) {
            meters.filtered();
            listener.done(record);
            return;
        }
        CloudEvent event;
        try {
            event = KafkaBinding.fromRecord(record);
        } catch (RuntimeException e) {
            new Delivery(record, null, listener).deadLetterRaw(e.getMessage());
            return;
        }
        if (!trigger.filter().matches(event)) {
            meters.filtered();
            listener.done(record);
            return;
        }
        new Delivery(record, event, listener).attempt(1);
    }

    /**
     * Every Trigger reads the whole topic of its broker, so many records are of types it does not take: a
     * binary-mode record whose {@code ce_type} header already rules it out is passed over without being decoded.
     */
    private boolean otherType(ConsumerRecord<String, byte[]> record) {
        String type = trigger.filter().requiredType();
        if (type == null) {
            return false;
        }
        Header header = record.headers().lastHeader("ce_type");
        return header != null && !type.equals(new String(header.value(), StandardCharsets.UTF_8));
    }

    private final class Delivery {

        private final ConsumerRecord<String, byte[]> record;
        private final CloudEvent event;
        private final Listener listener;
        private final long started = System.nanoTime();

        Delivery(ConsumerRecord<String, byte[]> record, CloudEvent event, Listener listener) {
            this.record = record;
            this.event = event;
            this.listener = listener;
        }

        void attempt(int n) {
            if (!owner.running() || !owner.holds(record)) {
                listener.abandoned(record);
                return;
            }
            subscriber.deliver(event, timeout).whenComplete((response, failure) ->
                    answered(n, response != null ? response : SubscriberResponse.failed(String.valueOf(failure))));
        }

        private void answered(int n, SubscriberResponse response) {
            if (!owner.holds(record)) {
                meters.lateAnswer();
                listener.abandoned(record);
                return;
            }
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
            if (!owner.running() || !owner.holds(record)) {
                listener.abandoned(record);
            } else if (n < trigger.delivery().attempts()) {
                meters.retried();
                timer.schedule(() -> attempt(n + 1), trigger.delivery().delayBeforeRetry(n).toNanos(), TimeUnit.NANOSECONDS);
            } else {
                deadLetter(response);
            }
        }

        private void succeeded() {
            meters.succeeded(started);
            listener.done(record);
        }

        private void deadLetter(SubscriberResponse response) {
            String topic = trigger.delivery().deadLetterTopic();
            if (topic == null) {
                LOG.warn("trigger {}: event {} failed with status {} and there is no dead-letter sink; it is lost",
                        trigger.name(), event.getId(), response.status());
                meters.dropped();
                listener.done(record);
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
                listener.done(record);
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
                    listener.done(record);
                } else if (owner.running() && owner.holds(record)) {
                    LOG.warn("trigger {}: dead-letter sink unavailable, retrying: {}", trigger.name(), failure.toString());
                    timer.schedule(() -> produceDeadLetter(send), 1, TimeUnit.SECONDS);
                } else {
                    listener.abandoned(record);
                }
            });
        }
    }
}
