package dev.hearth.group.control;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.hearth.connector.api.GroupDetails;
import dev.hearth.connector.api.HearthConnection;
import dev.hearth.connector.api.HearthConnectionException;
import dev.hearth.connector.api.HearthError;
import dev.hearth.connector.api.PartitionDescription;
import dev.hearth.connector.api.TopicDescription;
import dev.hearth.connector.api.TopicPartitionRef;

/**
 * Where to move a group's committed offsets, as {@code kafka-consumer-groups --reset-offsets} does, and the
 * resolution of that intent to one offset per partition. Resolved offsets always lie within
 * {@code [logStartOffset, logEndOffset]} of their partition: an explicit offset outside is clamped, as the
 * Kafka tool does. Immutable.
 *
 * @param target      how to choose each partition's offset
 * @param timestampMs epoch milliseconds for {@link Target#TIMESTAMP}, else ignored
 * @param topics      topics whose every partition is reset; empty means the topics the group has committed
 *                    offsets for. Ignored by {@link Target#OFFSETS}.
 * @param offsets     the explicit offsets of {@link Target#OFFSETS}, else ignored
 */
public record OffsetReset(Target target, long timestampMs, List<String> topics, Map<TopicPartitionRef, Long> offsets) {

    public OffsetReset {
        topics = List.copyOf(topics);
        offsets = Map.copyOf(offsets);
    }

    /** The ways of choosing a partition's new committed offset. */
    public enum Target {
        /** The partition's log start offset: re-consume everything retained. */
        EARLIEST {
            @Override
            long offset(HearthConnection connection, String topic, PartitionDescription partition, OffsetReset reset) {
                return partition.logStartOffset();
            }
        },
        /** The partition's log end offset: skip everything produced so far. */
        LATEST {
            @Override
            long offset(HearthConnection connection, String topic, PartitionDescription partition, OffsetReset reset) {
                return partition.logEndOffset();
            }
        },
        /** The first record at or after the timestamp; the log end when every record is older. */
        TIMESTAMP {
            @Override
            long offset(HearthConnection connection, String topic, PartitionDescription partition, OffsetReset reset) {
                return connection.offsetForTimestamp(topic, partition.partition(), reset.timestampMs())
                        .orElse(partition.logEndOffset());
            }
        },
        /** The offsets given, partition by partition. */
        OFFSETS {
            @Override
            long offset(HearthConnection connection, String topic, PartitionDescription partition, OffsetReset reset) {
                return reset.offsets().get(new TopicPartitionRef(topic, partition.partition()));
            }
        };

        abstract long offset(HearthConnection connection, String topic, PartitionDescription partition,
                             OffsetReset reset);
    }

    /**
     * The new offset of every partition concerned, ordered by topic and partition.
     *
     * @throws HearthConnectionException UNKNOWN_TOPIC_OR_PARTITION for a topic or partition that does not
     *                                   exist; GROUP_NOT_FOUND when no topics are named and the group is unknown
     */
    public Map<TopicPartitionRef, Long> resolve(HearthConnection connection, String groupId) {
        Map<String, Set<Integer>> partitionsByTopic = new LinkedHashMap<>();
        if (target == Target.OFFSETS) {
            offsets.keySet().stream().sorted().forEach(partition ->
                    partitionsByTopic.computeIfAbsent(partition.topic(), t -> new LinkedHashSet<>()).add(partition.partition()));
        } else {
            List<String> names = topics.isEmpty() ? committedTopics(connection.describeGroup(groupId)) : topics;
            names.forEach(topic -> partitionsByTopic.put(topic, null));
        }
        Map<TopicPartitionRef, Long> resolved = new LinkedHashMap<>();
        partitionsByTopic.forEach((topic, wanted) -> {
            TopicDescription description = connection.describeTopic(topic);
            List<PartitionDescription> partitions = new ArrayList<>();
            for (PartitionDescription partition : description.partitions()) {
                if (wanted == null || wanted.contains(partition.partition())) {
                    partitions.add(partition);
                }
            }
            if (wanted != null && partitions.size() != wanted.size()) {
                throw new HearthConnectionException(HearthError.UNKNOWN_TOPIC_OR_PARTITION, "Topic '" + topic + "' has "
                        + description.partitions().size() + " partition(s); cannot reset partitions " + wanted,
                        Map.of("topic", topic));
            }
            for (PartitionDescription partition : partitions) {
                long offset = target.offset(connection, topic, partition, this);
                long clamped = Math.max(partition.logStartOffset(), Math.min(partition.logEndOffset(), offset));
                resolved.put(new TopicPartitionRef(topic, partition.partition()), clamped);
            }
        });
        return resolved;
    }

    /**
     * The topics {@link #resolve} would reset, in order, without reading any offset: those the offsets or topics
     * name, else every topic the group has committed offsets for (GROUP_NOT_FOUND for an unknown group). For the
     * authorization that Kafka's OffsetCommit needs (Read on each topic) before anything is committed.
     */
    public List<String> topicsConcerned(HearthConnection connection, String groupId) {
        if (target == Target.OFFSETS) {
            return offsets.keySet().stream().map(TopicPartitionRef::topic).distinct().sorted().toList();
        }
        return topics.isEmpty() ? committedTopics(connection.describeGroup(groupId)) : List.copyOf(topics);
    }

    private static List<String> committedTopics(GroupDetails group) {
        return group.offsets().stream().map(GroupDetails.PartitionLag::topic).distinct().toList();
    }
}
