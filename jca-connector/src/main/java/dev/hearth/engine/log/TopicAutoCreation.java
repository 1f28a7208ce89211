package dev.hearth.engine.log;

import java.util.Map;
import java.util.logging.Logger;

import dev.hearth.engine.TopicExistsException;

/**
 * Kafka's {@code auto.create.topics.enable}: writing to (or, for Kafka clients, asking metadata of) a topic that does
 * not exist creates it with the default partition count and the broker's topic defaults, unless auto-creation is
 * off or the name is internal ({@code __…}, written by Hearth only). One policy for the Kafka listener and the
 * connection API. Immutable and thread-safe; two concurrent creations of one topic both succeed.
 *
 * @param enabled           whether unknown topics are created
 * @param defaultPartitions partitions of a created topic
 */
public record TopicAutoCreation(boolean enabled, int defaultPartitions) {

    private static final Logger LOG = Logger.getLogger(TopicAutoCreation.class.getName());

    /** Whether {@code topic} is one of Hearth's internal topics. */
    public static boolean isInternal(String topic) {
        return topic.startsWith("__");
    }

    /**
     * Creates {@code topic} if it does not exist and auto-creation allows it.
     *
     * @param creator who asks, for the log line (e.g. "a Kafka client")
     * @return whether the topic exists afterwards
     */
    public boolean maybeCreate(LogEngine engine, String topic, String creator) {
        if (engine.topicExists(topic)) {
            return true;
        }
        if (!enabled || isInternal(topic)) {
            return false;
        }
        try {
            engine.createTopic(topic, defaultPartitions, Map.of());
            LOG.info(() -> "HEARTH-0410 Auto-created topic '" + topic + "' for " + creator);
        } catch (TopicExistsException e) {
            // Created by another caller at the same moment: that is what was wanted.
        }
        return true;
    }
}
