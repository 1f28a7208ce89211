package dev.hearth.engine.internal;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import dev.hearth.engine.TopicConfig;

/**
 * A loaded topic: its definition and partition logs. Immutable; adding partitions or altering configs
 * replaces the instance in {@link LogDirectory} (the partition logs themselves are shared).
 */
public record Topic(String name, Path dir, String topicId, Map<String, String> configOverrides, TopicConfig config,
             List<PartitionLog> partitions) {

    TopicMetadataFile metadata() {
        return new TopicMetadataFile(topicId, partitions.size(), configOverrides);
    }
}
