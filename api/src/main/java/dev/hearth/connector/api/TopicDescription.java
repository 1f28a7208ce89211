package dev.hearth.connector.api;

import java.util.List;
import java.util.Map;

/** A topic as seen by admin clients: its id, effective configs and per-partition offsets. */
public record TopicDescription(String name, String topicId, Map<String, String> configs,
                               List<PartitionDescription> partitions) {
}
