package im.parley.eventing.runtime.scaling;

import java.util.Collection;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Knative creates a Trigger's consumer group with the Trigger, so events produced after that are kept for it even
 * while it is scaled to zero. Locally the group appears only with its first replica; anchoring commits the log end
 * for every partition the group has no offset for, at start-up, so nothing produced before that replica is lost.
 */
public final class GroupAnchor {

    private static final Logger LOG = LoggerFactory.getLogger(GroupAnchor.class);

    private GroupAnchor() {
    }

    /**
     * Anchors every group of the topic that lacks offsets; the topic's shape and log end are read once for all.
     * A group that cannot be anchored (it has members: another runtime is running) keeps what it has.
     *
     * @return how many partitions were anchored over all the groups
     */
    public static int anchor(Admin admin, String topic, Collection<String> groups)
            throws InterruptedException, ExecutionException, TimeoutException {
        int partitions = admin.describeTopics(List.of(topic)).allTopicNames().get(10, TimeUnit.SECONDS)
                .get(topic).partitions().size();
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        for (int p = 0; p < partitions; p++) {
            latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
        }
        Map<TopicPartition, OffsetAndMetadata> ends = new HashMap<>();
        admin.listOffsets(latest).all().get(10, TimeUnit.SECONDS)
                .forEach((partition, end) -> ends.put(partition, new OffsetAndMetadata(end.offset())));
        int anchored = 0;
        for (String group : groups) {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
            Map<TopicPartition, OffsetAndMetadata> start = new HashMap<>(ends);
            start.keySet().removeIf(partition -> committed.get(partition) != null);
            if (start.isEmpty()) {
                continue;
            }
            try {
                admin.alterConsumerGroupOffsets(group, start).all().get(10, TimeUnit.SECONDS);
                anchored += start.size();
            } catch (ExecutionException e) {
                LOG.warn("group {}: offsets not anchored: {}", group, e.getCause().toString());
            }
        }
        return anchored;
    }
}
