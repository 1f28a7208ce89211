package dev.hearth.group;

import java.util.Comparator;
import java.util.Objects;

/**
 * A topic partition whose offset a group commits. The topic need not exist: like Kafka, the coordinator
 * stores offsets for any name it is given.
 */
public record TopicPartitionKey(String topic, int partition) implements Comparable<TopicPartitionKey> {

    private static final Comparator<TopicPartitionKey> ORDER =
            Comparator.comparing(TopicPartitionKey::topic).thenComparingInt(TopicPartitionKey::partition);

    public TopicPartitionKey {
        Objects.requireNonNull(topic, "topic");
    }

    @Override
    public int compareTo(TopicPartitionKey other) {
        return ORDER.compare(this, other);
    }

    /** Kafka's {@code topic-partition} notation. */
    @Override
    public String toString() {
        return topic + "-" + partition;
    }
}
