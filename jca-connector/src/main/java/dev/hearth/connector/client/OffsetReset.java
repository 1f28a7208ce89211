package dev.hearth.connector.client;

import java.util.Objects;

import dev.hearth.engine.PartitionInfo;
import dev.hearth.engine.log.LogEngine;
import dev.hearth.group.TopicPartitionKey;

/**
 * Where a group member starts reading a partition its group has no committed offset for: Kafka's
 * {@code auto.offset.reset} ({@link Strategy#EARLIEST}, {@link Strategy#LATEST}), plus the first offset at or after
 * a timestamp, which message-driven beans may ask for ({@code startFrom=timestamp}).
 *
 * <p>Immutable; thread-safe.
 *
 * @param strategy    which offset a partition without a committed offset starts at
 * @param timestampMs epoch milliseconds for {@link Strategy#TIMESTAMP}; -1 for the others
 */
public record OffsetReset(Strategy strategy, long timestampMs) {

    public static final OffsetReset EARLIEST = new OffsetReset(Strategy.EARLIEST, -1);
    public static final OffsetReset LATEST = new OffsetReset(Strategy.LATEST, -1);

    public OffsetReset {
        Objects.requireNonNull(strategy, "strategy");
    }

    /** The first offset whose timestamp is at or after {@code timestampMs}; the last stable offset if there is none. */
    public static OffsetReset toTimestamp(long timestampMs) {
        return new OffsetReset(Strategy.TIMESTAMP, timestampMs);
    }

    public enum Strategy {
        /** The log start offset: everything still retained. */
        EARLIEST,
        /** The last stable offset: only records appended (and, if transactional, committed) from now on. */
        LATEST,
        /** The first offset at or after {@link #timestampMs()}, else the last stable offset. */
        TIMESTAMP
    }

    /** The offset of {@code partition} that this reset points at now. */
    long startOffset(LogEngine engine, TopicPartitionKey partition) {
        PartitionInfo info = engine.describePartition(partition.topic(), partition.partition());
        return switch (strategy) {
            case EARLIEST -> info.logStartOffset();
            case LATEST -> info.lastStableOffset();
            case TIMESTAMP -> engine.offsetForTimestamp(partition.topic(), partition.partition(), timestampMs)
                    .orElse(info.lastStableOffset());
        };
    }
}
