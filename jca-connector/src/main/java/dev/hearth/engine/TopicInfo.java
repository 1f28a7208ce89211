package dev.hearth.engine;

import java.util.List;

/** A snapshot of one topic, for admin views and metadata responses. */
public record TopicInfo(String name, String topicId, TopicConfig config, List<PartitionInfo> partitions) {
}
