package dev.hearth.connector.api;

import java.util.List;
import java.util.Objects;

/**
 * What a {@link GroupConsumer} joins with.
 *
 * @param groupId          the consumer group
 * @param topics           topics to read, which must exist; their partitions are split among the members
 * @param clientId         shown as the member's client id in group descriptions
 * @param sessionTimeoutMs how long the member may go without a poll before the coordinator removes it; within
 *                         the coordinator's bounds (6,000 to 1,800,000 ms, as Kafka's defaults)
 * @param reset            where a partition without a committed offset starts
 */
public record GroupSubscription(String groupId, List<String> topics, String clientId, int sessionTimeoutMs,
                                Reset reset) {

    public GroupSubscription {
        Objects.requireNonNull(groupId, "groupId");
        topics = List.copyOf(topics);
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(reset, "reset");
    }

    /** Kafka's {@code auto.offset.reset}. */
    public enum Reset {
        /** The log start offset: everything still retained. */
        EARLIEST,
        /** The last stable offset: only records appended from now on. */
        LATEST
    }
}
