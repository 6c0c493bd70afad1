package im.parley.eventing.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import im.parley.eventing.binding.KafkaBinding;
import im.parley.eventing.runtime.dispatch.DispatchSettings;
import im.parley.eventing.runtime.dispatch.Dispatcher;
import im.parley.eventing.runtime.dispatch.Outbound;
import im.parley.eventing.runtime.filter.EventFilter;
import im.parley.eventing.runtime.metrics.RuntimeMetrics;
import im.parley.eventing.runtime.subscriber.SubscriberResponse;
import im.parley.eventing.runtime.trigger.DeliveryPolicy;
import im.parley.eventing.runtime.trigger.ScalingPolicy;
import im.parley.eventing.runtime.trigger.TriggerDefinition;
import im.parley.stack.KafkaServer;
import im.parley.stack.junit.LocalStack;
import io.cloudevents.CloudEvent;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A replica that lost an event's partition while the event was in flight does not produce its late answer. */
@LocalStack
class DispatcherIT {

    static Outbound outbound;
    static ScheduledExecutorService timer;

    @BeforeAll
    static void start(KafkaServer kafka) {
        EventingRuntimeIT.start(kafka);
        outbound = new Outbound(kafka.bootstrapServers());
        timer = Executors.newSingleThreadScheduledExecutor();
    }

    @AfterAll
    static void stop() {
        outbound.close();
        timer.shutdownNow();
        EventingRuntimeIT.stop();
    }

    @Test
    void anAnswerThatComesBackAfterThePartitionMovedIsNotProduced() throws Exception {
        String topic = "dispatch-" + UUID.randomUUID().toString().substring(0, 8);
        EventingRuntimeIT.kafka.createTopic(topic, 1);
        TriggerDefinition trigger = new TriggerDefinition("parley", "late", "b", topic, "g-" + topic, EventFilter.ALL,
                null, URI.create("http://127.0.0.1:1/"), new DeliveryPolicy(0, DeliveryPolicy.Backoff.LINEAR,
                Duration.ofMillis(10), Duration.ofSeconds(10), null), true, ScalingPolicy.FIXED_ONE, null);
        RuntimeMetrics.TriggerMeters meters = new RuntimeMetrics().trigger("late");
        List<CompletableFuture<SubscriberResponse>> calls = new CopyOnWriteArrayList<>();
        AtomicBoolean holds = new AtomicBoolean(true);
        Dispatcher dispatcher = new Dispatcher(trigger, (event, timeout) -> {
            CompletableFuture<SubscriberResponse> call = new CompletableFuture<>();
            calls.add(call);
            return call;
        }, outbound, meters, timer, DispatchSettings.defaults(), new Dispatcher.Owner() {
            @Override
            public boolean running() {
                return true;
            }

            @Override
            public boolean holds(ConsumerRecord<String, byte[]> record) {
                return holds.get();
            }
        });
        List<String> done = new CopyOnWriteArrayList<>();
        Dispatcher.Listener listener = new Dispatcher.Listener() {
            @Override
            public void done(ConsumerRecord<String, byte[]> record) {
                done.add("done:" + record.offset());
            }

            @Override
            public void abandoned(ConsumerRecord<String, byte[]> record) {
                done.add("abandoned:" + record.offset());
            }
        };

        dispatcher.dispatch(record(topic, 0, "e0"), listener);
        dispatcher.dispatch(record(topic, 1, "e1"), listener);
        assertThat(calls).hasSize(2);
        calls.get(0).complete(new SubscriberResponse(200, EventingRuntimeIT.event("reply-0", "test.reply", "k"), new byte[0]));
        EventingRuntimeIT.await(() -> done.contains("done:0"), "the answer in time produced");
        // The partition goes to another replica (revoked past the grace); then the second answer comes back.
        holds.set(false);
        calls.get(1).complete(new SubscriberResponse(200, EventingRuntimeIT.event("reply-1", "test.reply", "k"), new byte[0]));
        EventingRuntimeIT.await(() -> done.contains("abandoned:1"), "the late answer given up");

        List<String> replies = EventingRuntimeIT.readAll(topic, 1).stream()
                .map(r -> KafkaBinding.fromRecord(r).getId()).toList();
        assertThat(replies).containsExactly("reply-0");
        assertThat(meters.lateAnswers()).isEqualTo(1);
    }

    static ConsumerRecord<String, byte[]> record(String topic, long offset, String id) {
        CloudEvent event = EventingRuntimeIT.event(id, "test.late", "k");
        var produced = KafkaBinding.toRecord(topic, event);
        ConsumerRecord<String, byte[]> record = new ConsumerRecord<>(topic, 0, offset, produced.key(), produced.value());
        produced.headers().forEach(h -> record.headers().add(h));
        return record;
    }
}
