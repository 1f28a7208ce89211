package dev.hearth.kafka;

import java.util.Optional;

import org.apache.kafka.common.Uuid;

import dev.hearth.engine.log.LogEngine;
import dev.hearth.engine.log.TopicAutoCreation;

/**
 * Names and ids of topics as the protocol uses them: newer request versions name topics by Kafka
 * {@link Uuid}, and Metadata/Produce may create unknown topics when auto-creation is on. Thread-safe.
 */
final class TopicResolver {

    private final LogEngine engine;
    private final TopicAutoCreation autoCreation;

    TopicResolver(LogEngine engine, KafkaListenerConfig config) {
        this.engine = engine;
        this.autoCreation = config.topicAutoCreation();
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
        return TopicAutoCreation.isInternal(topic);
    }

    /** Whether unknown topics are created on use at all (decides whether a CREATE right is asked for). */
    boolean autoCreationEnabled() {
        return autoCreation.enabled();
    }

    /** Creates the topic with default settings if auto-creation is enabled; true if it exists afterwards. */
    boolean maybeAutoCreate(String topic) {
        return autoCreation.maybeCreate(engine, topic, "a Kafka client");
    }
}
