package dev.hearth.job.plan;

/**
 * A topic the job creates and owns. Its partition count is always that of another topic, {@code partitionsAsTopic}
 * (resolve with {@link PhysicalPlan#partitionCount}): a repartition topic has as many partitions as the stage that
 * reads it has tasks; a changelog topic has one partition per task of the stage that writes it.
 *
 * @param name              the topic name
 * @param kind              its role, which fixes its configuration
 * @param partitionsAsTopic the topic whose partition count it copies
 * @param stage             the stage that writes it
 */
public record InternalTopic(String name, Kind kind, String partitionsAsTopic, int stage) {

    /** The roles of internal topics. */
    public enum Kind {
        /** Records re-keyed for a downstream grouping; delete retention, records may be purged once consumed. */
        REPARTITION("cleanup.policy=delete"),
        /** A state store's changes; compacted, never purged by time. */
        CHANGELOG("cleanup.policy=compact");

        private final String topicConfig;

        Kind(String topicConfig) {
            this.topicConfig = topicConfig;
        }

        /** The topic configuration to create it with. */
        public String topicConfig() {
            return topicConfig;
        }
    }
}
