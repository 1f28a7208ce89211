package dev.hearth.kafka;

import java.util.Map;
import java.util.Optional;
import java.util.logging.Logger;

import org.apache.kafka.common.Uuid;

import dev.hearth.engine.TopicExistsException;
import dev.hearth.engine.log.LogEngine;

/**
 * Names and ids of topics as the protocol uses them: newer request versions name topics by Kafka
 * {@link Uuid}, and Metadata/Produce may create unknown topics when auto-creation is on. Thread-safe.
 */
final class TopicResolver {

    private static final Logger LOG = Logger.getLogger(TopicResolver.class.getName());

    private final LogEngine engine;
    private final KafkaListenerConfig config;

    TopicResolver(LogEngine engine, KafkaListenerConfig config) {
        this.engine = engine;
        this.config = config;
    }

    Optional<String> nameOf(Uuid topicId) {
        return engine.topicNameForId(topicId.toString());
    }


    /** The name a request used: its name when set, else the name behind its id. */
    Optional<String> resolve(String name, Uuid topicId) {
        if (name != null && !name.isEmpty()) {
            return Optional.of(name);
        }
        if (topicId != null && !Uuid.ZERO_UUID.equals(topicId)) {
            return nameOf(topicId);
        }
        return Optional.empty();
    }

    /** Internal topics (such as {@code __consumer_offsets}) are written by Hearth only. */
    static boolean isInternal(String topic) {
        return topic.startsWith("__");
    }

    /** Creates the topic with default settings if auto-creation is enabled; true if it exists afterwards. */
    boolean maybeAutoCreate(String topic) {
        if (engine.topicExists(topic)) {
            return true;
        }
        if (!config.autoCreateTopics() || isInternal(topic)) {
            return false;
        }
        try {
            engine.createTopic(topic, config.defaultPartitions(), Map.of());
            LOG.info(() -> "HEARTH-0410 Auto-created topic '" + topic + "' for a Kafka client");
        } catch (TopicExistsException e) {
            // Another connection created it at the same moment: that is what we wanted.
        }
        return true;
    }
}
