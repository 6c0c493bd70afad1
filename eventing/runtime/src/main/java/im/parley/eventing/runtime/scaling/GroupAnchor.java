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

/**
 * Knative creates a Trigger's consumer group with the Trigger, so events produced after that are kept for it even
 * while it is scaled to zero. Locally the group appears only with its first replica; anchoring commits the log end
 * for every partition the group has no offset for, at start-up, so nothing produced before that replica is lost.
 */
public final class GroupAnchor {

    private GroupAnchor() {
    }

    /** @return how many partitions were anchored (0 when the group already had offsets for all of them) */
    public static int anchor(Admin admin, String group, String topic)
            throws InterruptedException, ExecutionException, TimeoutException {
        int partitions = admin.describeTopics(List.of(topic)).allTopicNames().get(10, TimeUnit.SECONDS)
                .get(topic).partitions().size();
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
        Map<TopicPartition, OffsetSpec> missing = new HashMap<>();
        for (int p = 0; p < partitions; p++) {
            TopicPartition partition = new TopicPartition(topic, p);
            if (committed.get(partition) == null) {
                missing.put(partition, OffsetSpec.latest());
            }
        }
        if (missing.isEmpty()) {
            return 0;
        }
        Map<TopicPartition, OffsetAndMetadata> start = new HashMap<>();
        admin.listOffsets(missing).all().get(10, TimeUnit.SECONDS)
                .forEach((partition, end) -> start.put(partition, new OffsetAndMetadata(end.offset())));
        admin.alterConsumerGroupOffsets(group, start).all().get(10, TimeUnit.SECONDS);
        return start.size();
    }
}
