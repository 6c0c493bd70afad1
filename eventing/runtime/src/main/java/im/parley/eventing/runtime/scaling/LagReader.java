package im.parley.eventing.runtime.scaling;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/** Reads a consumer group's lag on a topic from Kafka, as KEDA's Kafka scaler does. */
public final class LagReader {

    /** The topic's partition count and the group's total lag over them, counted as KEDA counts it. */
    public record Lag(int partitions, long total) {
    }

    private final Admin admin;
    private final String offsetResetPolicy;

    public LagReader(Admin admin, String offsetResetPolicy) {
        this.admin = admin;
        this.offsetResetPolicy = offsetResetPolicy;
    }

    public Lag read(String group, String topic) throws InterruptedException, ExecutionException, TimeoutException {
        int partitions = admin.describeTopics(List.of(topic)).allTopicNames().get(10, TimeUnit.SECONDS)
                .get(topic).partitions().size();
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        for (int p = 0; p < partitions; p++) {
            latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
        }
        var ends = admin.listOffsets(latest).all().get(10, TimeUnit.SECONDS);
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
        long total = 0;
        for (var end : ends.entrySet()) {
            OffsetAndMetadata c = committed.get(end.getKey());
            total += KedaFormula.partitionLag(c == null ? null : c.offset(), end.getValue().offset(), offsetResetPolicy);
        }
        return new Lag(partitions, total);
    }
}
