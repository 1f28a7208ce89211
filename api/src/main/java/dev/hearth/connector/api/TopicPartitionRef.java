package dev.hearth.connector.api;

import java.util.Comparator;
import java.util.Objects;

/** One partition of a topic, as admin calls name it (a group's committed offset, an assignment). */
public record TopicPartitionRef(String topic, int partition) implements Comparable<TopicPartitionRef> {

    private static final Comparator<TopicPartitionRef> ORDER =
            Comparator.comparing(TopicPartitionRef::topic).thenComparingInt(TopicPartitionRef::partition);

    public TopicPartitionRef {
        Objects.requireNonNull(topic, "topic");
    }

    @Override
    public int compareTo(TopicPartitionRef other) {
        return ORDER.compare(this, other);
    }

    /** Kafka's {@code topic-partition} notation. */
    @Override
    public String toString() {
        return topic + "-" + partition;
    }
}
